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
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) {
    throw invalidInput(`${target} is not a directory.`, { path: '--target', hints: [`Point it at your backend, or create one with \`petsage-build init ${target}\`.`] });
  }
  resolved = realpathSync(root);
  return resolved;
}
