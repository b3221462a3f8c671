import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PetsageError } from '../errors.js';
import { readContainedText } from '../commit/safe-fs.js';

/**
 * The project's Python sources as `config --detect` reads them: only inside the target, never
 * through a link, without the folders that hold other people's code or generated files, and
 * within a budget, so that a huge monorepo or a vendored virtualenv costs a bounded read.
 */
export interface ProjectFiles {
  /** Python files read, by path relative to the target (POSIX), in walk order. */
  python: Map<string, string>;
  /** Every plain file seen, read or not (a README beside a module, a test), for existence checks. */
  seen: Set<string>;
  /** Why the walk stopped early or left files out, for the output; empty when it read everything. */
  notes: string[];
}

/** Folders never walked: environments, caches, VCS, build output, installed packages, migration histories. */
const SKIPPED_FOLDERS = new Set(['.venv', 'venv', 'env', '.env', '.git', 'node_modules', '__pycache__', 'build', 'dist', 'site-packages', 'migrations', 'alembic', '.tox', '.nox']);

export const WALK_LIMITS = { files: 2000, bytesPerFile: 256 * 1024, depth: 12 };

const skipped = (name: string) => SKIPPED_FOLDERS.has(name) || name.startsWith('.') || name.endsWith('.egg-info');

/**
 * Walks `root` breadth first, in sorted order so the result is the same on every machine. A link
 * (file or folder) is never followed; each file is read with readContainedText, which refuses a
 * link on the way as well. A file that is too big or not UTF-8 is left out with a note.
 */
export function readProjectFiles(root: string, limits = WALK_LIMITS): ProjectFiles {
  const files: ProjectFiles = { python: new Map(), seen: new Set(), notes: [] };
  let queue: string[] = [''];
  for (let depth = 0; queue.length > 0 && depth <= limits.depth; depth += 1) {
    const next: string[] = [];
    for (const dir of queue) {
      for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory() && !skipped(entry.name)) next.push(relative);
        else if (entry.isFile()) {
          files.seen.add(relative);
          if (entry.name.endsWith('.py') && !readPython(root, relative, files, limits)) return files;
        }
      }
    }
    queue = next;
  }
  return files;
}

/** Reads one Python file into `files`; false once the file budget is spent. */
function readPython(root: string, relative: string, files: ProjectFiles, limits: typeof WALK_LIMITS): boolean {
  if (files.python.size >= limits.files) {
    files.notes.push(`read the first ${limits.files} Python files only`);
    return false;
  }
  if (lstatSync(path.join(root, relative)).size > limits.bytesPerFile) {
    files.notes.push(`${relative}: left out, larger than ${limits.bytesPerFile / 1024} KiB`);
    return true;
  }
  try {
    const text = readContainedText(root, relative);
    if (text !== undefined) files.python.set(relative, text);
  } catch (error) {
    // Not UTF-8, or swapped for something else since it was listed: not evidence of a layout.
    if (!(error instanceof PetsageError)) throw error;
    files.notes.push(`${relative}: left out, ${error.text}`);
  }
  return true;
}
