import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validatePayload } from './payload/schema.js';
import { planFeature, type Plan } from './plan.js';
import { patchAggregator } from './python/aggregator.js';
import { recordPath, sha256, type FeatureRecord } from './record.js';
import type { Renderer } from './render.js';
import type { FileState } from './report.js';

export interface FileDrift {
  path: string;
  state: FileState;
  /** On disk, when the file exists. */
  sha256?: string;
  disk?: string;
  fresh: string;
}

export interface FeatureDrift {
  feature: string;
  plan: Plan;
  files: FileDrift[];
  /** The aggregator no longer registers the feature. */
  unregistered: boolean;
}

function readText(root: string, relative: string): string | undefined {
  try {
    return readFileSync(path.join(root, relative), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Compares a recorded feature with the disk and with a fresh render of its payload: record
 * hash against file tells a hand edit, file against fresh render a template change.
 */
export function featureDrift(root: string, record: FeatureRecord, renderer: Renderer): FeatureDrift {
  const feature = validatePayload(record.payload, recordPath(String(record.payload.feature)));
  const plan = planFeature(feature, record.blueprint);
  const recorded = new Map(record.files.map((file) => [file.path, file.sha256]));
  const files = plan.files.map((file): FileDrift => {
    const fresh = renderer.render(file.template, plan.context);
    const disk = readText(root, file.path);
    if (disk === undefined) return { path: file.path, state: 'missing', fresh };
    const hash = sha256(disk);
    const state: FileState = hash !== recorded.get(file.path) ? 'edited' : disk !== fresh ? 'outdated' : 'current';
    return { path: file.path, state, sha256: hash, disk, fresh };
  });
  const aggregator = readText(root, record.aggregator.file);
  const edit = { ...plan.aggregator, routerVar: record.aggregator.routerVar };
  const unregistered = aggregator === undefined || patchAggregator(aggregator, edit).changed;
  return { feature: feature.names.snake, plan, files, unregistered };
}
