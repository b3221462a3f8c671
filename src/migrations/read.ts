import { readdirSync } from 'node:fs';
import path from 'node:path';
import { linkOnTheWay, linkRefused, readContainedText } from '../commit/safe-fs.js';
import { conflict, ioFailure } from '../errors.js';
import { parseRevisionFile, type RevisionFile } from './revision-file.js';

/**
 * The files Alembic loads as revisions: `*.py` directly in the folder, but not the package's
 * `__init__.py`, nor an editor's lock file (`.#name.py`, a dangling link Emacs leaves), which
 * Alembic skips too. Folders (`__pycache__`) and other files are not revisions.
 */
const isRevisionFileName = (name: string) => name.endsWith('.py') && name !== '__init__.py' && !name.startsWith('.#');

/** Code-unit order, the same on every machine: localeCompare would follow the locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every revision of the versions folder `versionsDir` (relative to the target), parsed, in file
 * name order; an empty history when the folder does not exist. Each file is read through
 * safe-fs: a link, a special file or text that is not UTF-8 is refused (exit 3).
 */
export function readRevisions(root: string, versionsDir: string): RevisionFile[] {
  const link = linkOnTheWay(root, versionsDir);
  if (link !== undefined) throw linkRefused(link, versionsDir);
  let names: string[];
  try {
    names = readdirSync(path.join(root, versionsDir));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') {
      throw conflict("is a file where the migrations' versions folder is expected; nothing was changed.", { path: versionsDir, hints: ['Move it out of the way.'] });
    }
    throw ioFailure(`cannot be listed (${code ?? (error as Error).message}).`, { path: versionsDir });
  }
  return names
    .filter(isRevisionFileName)
    .sort(byCodeUnit)
    .flatMap((name) => {
      const file = `${versionsDir}/${name}`;
      const text = readContainedText(root, file);
      // Gone since the folder was listed: it is no longer part of the history.
      return text === undefined ? [] : [parseRevisionFile(text, file)];
    });
}
