import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from './errors.js';

/**
 * The target backend's root, resolved once through any symbolic link (realpath), so that
 * every containment check after this compares real paths. It must exist as a directory.
 */
let resolved: string | undefined;

/** The target the run resolved, for the JSON report of a run that failed after that. */
export const resolvedTarget = () => resolved;

export function resolveTarget(cwd: string, target: string): string {
  const root = path.resolve(cwd, target);
  let kind: 'dir' | 'other' | 'missing' = 'missing';
  try {
    kind = statSync(root).isDirectory() ? 'dir' : 'other';
  } catch {
    // reported below
  }
  if (kind !== 'dir') {
    // init would refuse a path that something else already holds: offered only where nothing is.
    const hint = kind === 'missing' ? `Point it at your backend, or create one with \`petsage-build init ${target}\`.` : "Point it at your backend's folder.";
    throw invalidInput(`${target} is not a directory.`, { path: '--target', hints: [hint] });
  }
  resolved = realpathSync(root);
  return resolved;
}
