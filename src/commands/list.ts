import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter } from '../log.js';
import { readRecords, sha256 } from '../record.js';
import type { FeatureReport, FileState } from '../report.js';
import { resolveTarget } from '../target.js';

/** Whether each recorded file is still as generated; a list needs no re-render. */
function fileState(root: string, relative: string, recorded: string): { state: FileState; sha256?: string } {
  try {
    const hash = sha256(readFileSync(path.join(root, relative)));
    return { state: hash === recorded ? 'current' : 'edited', sha256: hash };
  } catch {
    return { state: 'missing' };
  }
}

/** The recorded features with their state: clean, edited or missing. */
export async function runList(options: { cwd: string; target: string; reporter: Reporter }) {
  const root = resolveTarget(options.cwd, options.target);
  const features: FeatureReport[] = [];
  for (const [name, record] of readRecords(root)) {
    const files = record.files.map((file) => ({ path: file.path, ...fileState(root, file.path, file.sha256) }));
    const state = files.some((file) => file.state === 'missing') ? 'missing' : files.some((file) => file.state === 'edited') ? 'edited' : 'clean';
    features.push({ feature: name, state, files });
    options.reporter.info(`${name.padEnd(42)} ${state}`);
  }
  if (features.length === 0) options.reporter.info('No recorded features.');
  return { target: root, features };
}
