import path from 'node:path';
import { run } from './cli.js';
import type { Registration } from './aggregator-cases.js';
import { REPO_ROOT } from './paths.js';
import { venvBin } from './python-env.mjs';

export interface Judged extends Registration {
  name: string;
  original: string;
  patched: string;
}

const ORACLE = path.join(REPO_ROOT, 'test', 'helpers', 'aggregator_oracle.py');

/**
 * Every rule a patched aggregator breaks, as judged by Python's `ast` (aggregator_oracle.py),
 * one "<case>: <rule>" line each; none means every patch is right.
 */
export async function brokenRules(cases: readonly Judged[]): Promise<string[]> {
  const result = await run(venvBin('python'), [ORACLE], { input: Buffer.from(JSON.stringify(cases)) });
  if (result.exitCode !== 0 || result.stderr !== '') throw new Error(`the oracle failed (exit ${result.exitCode}): ${result.stderr}`);
  const out = result.stdout.trim();
  return out === 'ok' ? [] : out.split('\n');
}
