import type { Reporter } from '../output/reporter.js';
import { readBackendRecords, recordedFileOnDisk } from '../record/record.js';
import type { FeatureReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { warnIfInterrupted } from '../commit/write.js';
import { waitForWriters } from '../commit/lock.js';

/** The recorded features with their state: current, edited, conflicted or missing. */
export async function runList(options: { cwd: string; target: string; wait?: number; reporter: Reporter }) {
  const root = resolveTarget(options.cwd, options.target);
  // A run in progress is not an interrupted one: its commit is read once it is done.
  await waitForWriters(root, options.wait ?? 0);
  warnIfInterrupted(root, options.reporter);
  const features: FeatureReport[] = [];
  for (const [name, { record }] of readBackendRecords(root)) {
    // Against the record only: a list needs no re-render.
    const files = record.files.map((file) => {
      const { state, sha256 } = recordedFileOnDisk(root, file);
      return { path: file.path, state, ...(sha256 && { sha256 }) };
    });
    const state = (['conflicted', 'missing', 'edited'] as const).find((worst) => files.some((file) => file.state === worst)) ?? 'current';
    features.push({ feature: name, state, files });
    // What the user asked for, as check's findings are: shown with --quiet too.
    options.reporter.finding(`${name.padEnd(42)} ${state}`);
  }
  if (features.length === 0) options.reporter.info('No recorded features.');
  return { target: root, features };
}
