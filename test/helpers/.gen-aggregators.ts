import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { patchAggregator } from '../../src/python/aggregator.js';
import { loadAggregatorCases } from './aggregator-cases.js';
import { fixture } from './paths.js';

for (const c of loadAggregatorCases()) {
  if (c.error !== undefined) continue;
  try {
    const result = patchAggregator(c.input, c.edit);
    writeFileSync(path.join(fixture('aggregators'), c.name, 'expected.py'), result.text);
    console.log('==', c.name, result.changed, result.routerVar);
  } catch (error) {
    console.log('==', c.name, 'ERROR', (error as Error).message, (error as { details?: string[] }).details);
  }
}
