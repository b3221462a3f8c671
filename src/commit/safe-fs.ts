import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { conflict, ioFailure } from '../errors.js';
import { decodeUtf8, describeInvalidUtf8 } from '../utf8.js';

/**
 * Reading what a target holds without letting it point elsewhere. Anything under the target can
 * be committed by anybody with commit access, so a path read back from disk (a record, the
 * journal, config, an override) is checked before use, and the file itself is opened without
 * following a link and must be a plain file (a FIFO or device would hang or never end).
 */

/** Printable ASCII a project path may use. */
const PATH_CHARACTERS = /^[A-Za-z0-9._/-]+$/;
/** The tool's own helper files at the target's root, which no configured path may name. */
const RESERVED = /^\.petsage(-journal\.json|\.lock)/;

/**
 * Why `value` is not a plain relative POSIX path inside the target, or undefined when it is:
 * no absolute path, no backslash, no `.`/`..`/empty segment, nothing to normalise away.
 */
export function relativePathProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return 'must not be empty';
  if (value.includes('\\')) return 'must use forward slashes, not backslashes';
  if (value.startsWith('/') || path.win32.isAbsolute(value)) return 'must be a relative path inside the project';
  if (!PATH_CHARACTERS.test(value)) return 'may only use letters, digits, ".", "_", "-" and "/"';
  if (value.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return 'must be a normalised path inside the project, without "..", "." or empty segments';
  }
  if (RESERVED.test(value)) return "names petsage-build's own lock or journal";
  return undefined;
}

/**
 * A missing path is an answer, not an error: an exception with its stack trace costs a dozen
 * times the lstat, and a run asks about paths it is about to create.
 */
export const NO_THROW_IF_MISSING = { throwIfNoEntry: false } as const;

/** Whether `relative` (already checked by relativePathProblem) lies at or under `dir`. */
export const isUnder = (relative: string, dir: string) => relative === dir || relative.startsWith(`${dir}/`);

/**
 * The first segment on the way to `relative` (itself included) that is a symbolic link, or
 * undefined. Stops at the first missing segment: nothing below it exists, so no link either.
 */
export function linkOnTheWay(root: string, relative: string): string | undefined {
  const segments = relative.split('/');
  for (let i = 1; i <= segments.length; i += 1) {
    const prefix = segments.slice(0, i).join('/');
    let isLink: boolean | undefined;
    try {
      isLink = lstatSync(path.join(root, prefix), NO_THROW_IF_MISSING)?.isSymbolicLink();
    } catch {
      return undefined;
    }
    if (isLink === undefined) return undefined;
    if (isLink) return prefix;
  }
  return undefined;
}

/** The error for a link found where the tool reads or writes its own state. */
export const linkRefused = (link: string, relative: string) =>
  conflict(`is a symbolic link${link === relative ? '' : ` on the way to ${relative}`}; refusing to follow it out of the target.`, {
    path: link,
    hints: ['Replace the link with a real file or directory.'],
  });

/** Whether anything (a link included, not followed) is at `file`. */
export function existsNoFollow(file: string): boolean {
  try {
    return lstatSync(file, NO_THROW_IF_MISSING) !== undefined;
  } catch {
    return false;
  }
}

/** A plain file (not a link, not a directory) at `relative`. */
export function isPlainFile(root: string, relative: string): boolean {
  try {
    return lstatSync(path.join(root, relative), NO_THROW_IF_MISSING)?.isFile() ?? false;
  } catch {
    return false;
  }
}

/**
 * A file under the target, read only if it is a plain file reached without any link; undefined
 * when it does not exist. A link, a directory or a special file there is refused (exit 3).
 */
export function readContained(root: string, relative: string): Buffer | undefined {
  // The folders on the way are checked here; the file itself by O_NOFOLLOW.
  const dir = path.posix.dirname(relative);
  const link = dir === '.' ? undefined : linkOnTheWay(root, dir);
  if (link !== undefined) throw linkRefused(link, relative);
  return readNoFollow(path.join(root, relative), relative);
}

/**
 * Opens without following a final link (O_NOFOLLOW) and without blocking on a FIFO, then checks
 * through the open descriptor that it is a plain file, so nothing can be swapped in between.
 */
export function readNoFollow(file: string, label: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'ELOOP') throw linkRefused(label, label);
    throw ioFailure(`cannot be read (${code ?? (error as Error).message}).`, { path: label });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw conflict('is a folder where a file is expected; nothing was written.', { path: label, hints: ['Move it out of the way.'] });
    if (!stat.isFile()) throw conflict('is not a plain file; refusing to read it.', { path: label, hints: ['Move it out of the way.'] });
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The refusal of a target file that is not UTF-8, naming where its first invalid byte is. */
export const notUtf8 = (label: string, bytes: Uint8Array) =>
  conflict(`is not valid UTF-8 (${describeInvalidUtf8(bytes)}); nothing was changed.`, { path: label, hints: [
    'Save it as UTF-8 (from Latin-1, e.g. with `iconv -f latin1 -t utf-8`), then run again.',
  ] });

/**
 * A target file's bytes as text, decoded strictly and keeping a leading BOM (as U+FEFF), so that
 * text written back from it is byte-exact. Lenient decoding would turn each invalid byte into
 * U+FFFD, and a write of that text would corrupt the file: such a file is refused (exit 3).
 */
export function targetText(bytes: Uint8Array, label: string): string {
  const text = decodeUtf8(bytes, { keepBom: true });
  if (text === undefined) throw notUtf8(label, bytes);
  return text;
}

/** readContained, as text: undefined when the file does not exist; refused when not UTF-8. */
export function readContainedText(root: string, relative: string): string | undefined {
  const bytes = readContained(root, relative);
  return bytes === undefined ? undefined : targetText(bytes, relative);
}
