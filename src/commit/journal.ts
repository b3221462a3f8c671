import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { requireLazily } from '../lazy-import.js';
import path from 'node:path';
import { isPlainObject, SHA256_HEX } from '../data.js';
import { conflict, type Problem } from '../errors.js';
import { linkOnTheWay, linkRefused, readContained, relativePathProblem } from './safe-fs.js';
import { decodeUtf8, describeInvalidUtf8 } from '../utf8.js';

/**
 * The commit journal: what a commit is doing, written before it touches any file, so that a
 * run killed mid-commit (SIGKILL, power cut of the process) can be completed or undone by the
 * next one. `staging`: temp files and backups are being written, nothing is in place yet.
 * `renaming`: temp files are being renamed into place; an entry whose temp file is gone is in.
 * A written file's hash is known from `renaming` on: a generated file is made as its temp file
 * is written, so that a large batch renders each file once.
 *
 * A journal is replayed with the target's files, so it is the most dangerous thing a commit to
 * the repository could plant. It is bound to the directory it was written in (its device, inode
 * and birth time, which no commit can know in advance), every entry is checked as a path inside
 * the target with no link on the way, helper files are only ever the names derived from the
 * run's random id, and a file is deleted or restored over only while it still holds the bytes
 * the journal says this run wrote.
 */
export const JOURNAL_FILE = '.petsage-journal.json';

export interface JournalEntry {
  path: string;
  /** The file is removed, not written. */
  removal?: true;
  /** The sha256 of the new content of a written file, from the `renaming` phase on. */
  sha256?: string;
  /** The file existed and has a backup (hard link or copy) while the commit runs. */
  backup: boolean;
}

export const isRemoval = (entry: JournalEntry) => entry.removal === true;

export interface Journal {
  version: 2;
  /** Random per commit; temp and backup names derive from it, so they cannot be predicted. */
  run: string;
  /** The identity of the target directory the journal was written in. */
  root: string;
  phase: 'staging' | 'renaming';
  entries: JournalEntry[];
  /** Directories the commit created, outermost first. */
  createdDirs: string[];
}

/**
 * 64 random bytes, from the kernel's /dev/urandom where there is one: `node:crypto` costs a cold
 * run about 2.5 ms to load. Elsewhere (Windows) from `node:crypto`.
 */
function randomBytes(): Buffer {
  const bytes = Buffer.alloc(64);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes) === bytes.length) return bytes;
    } finally {
      closeSync(fd);
    }
  } catch {
    // No /dev/urandom here.
  }
  return requireLazily<typeof import('node:crypto')>('node:crypto').randomBytes(bytes.length);
}

/** Random ids come from one pool drawn once: the first draw costs a cold start a fraction of a millisecond. */
let pool: Buffer | undefined;
let drawn = 0;
export function newRunId(): string {
  if (!pool || drawn + 16 > pool.length) {
    pool = randomBytes();
    drawn = 0;
  }
  drawn += 16;
  return pool.toString('hex', drawn - 16, drawn);
}

/** `a/b/file.py` -> `a/b/.file.py.petsage-<run>.tmp` (or `.bak`), beside the file it stands for. */
export function helperPath(relative: string, run: string, kind: 'tmp' | 'bak'): string {
  const dir = path.posix.dirname(relative);
  const name = `.${path.posix.basename(relative)}.petsage-${run}.${kind}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

/** Device, inode and birth time of the target directory: what a copied or committed journal cannot match. */
export function rootIdentity(root: string): string {
  const stat = statSync(root);
  return `${stat.dev}:${stat.ino}:${stat.birthtimeMs}`;
}

export function writeJournal(root: string, journal: Journal): void {
  const file = path.join(root, JOURNAL_FILE);
  // A fresh name opened exclusively: a link planted at a predictable temp name is never written through.
  const temp = `${file}.${journal.run}.${journal.phase}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(journal), { flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    // A full disk can leave the temp half written; it is this run's own, fresh file.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      try {
        unlinkSync(temp);
      } catch {
        // Never created.
      }
    }
    throw error;
  }
}

const RUN_ID = /^[0-9a-f]{32}$/;
const RESERVED = new Set([JOURNAL_FILE, '.petsage.lock']);

const at = (path: string, message: string): Problem => ({ path, message });

function entryProblems(entry: unknown, where: string, seen: Set<string>, renaming: boolean): Problem[] {
  if (!isPlainObject(entry)) return [at(where, 'must be an object')];
  const problems = Object.keys(entry).filter((key) => !['path', 'removal', 'sha256', 'backup'].includes(key)).map((key) => at(`${where}.${key}`, 'unknown key'));
  const pathProblem = relativePathProblem(entry.path);
  if (pathProblem) problems.push(at(`${where}.path`, `${JSON.stringify(entry.path)} ${pathProblem}`));
  else if (RESERVED.has(entry.path as string)) problems.push(at(`${where}.path`, `names petsage-build's own ${entry.path as string}`));
  else if (seen.has(entry.path as string)) problems.push(at(`${where}.path`, 'is listed twice'));
  else seen.add(entry.path as string);
  if (entry.removal !== undefined && entry.removal !== true) problems.push(at(`${where}.removal`, 'must be true when present'));
  if (entry.sha256 !== undefined && (typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256))) problems.push(at(`${where}.sha256`, 'must be a sha256 in hex'));
  if (entry.removal === true && entry.sha256 !== undefined) problems.push(at(where, 'a removal has no sha256'));
  // Renaming puts written files in place, and an undo touches one only while it holds that hash.
  if (renaming && entry.removal === undefined && entry.sha256 === undefined) problems.push(at(`${where}.sha256`, 'is missing (a written file has its hash once renaming begins)'));
  if (typeof entry.backup !== 'boolean') problems.push(at(`${where}.backup`, 'must be true or false'));
  else if (entry.removal === true && !entry.backup) problems.push(at(where, 'a removal must have a backup'));
  return problems;
}

function journalProblems(data: unknown, root: string): Problem[] {
  if (!isPlainObject(data)) return [{ message: 'must be a JSON object' }];
  if (data.version !== 2) return [at('version', 'is not a journal this version of petsage-build wrote')];
  if (typeof data.run !== 'string' || !RUN_ID.test(data.run)) return [at('run', 'must be 32 hex digits')];
  if (data.root !== rootIdentity(root)) {
    return [at('root', 'it was not written in this directory; a journal committed to the repository or copied from elsewhere is never replayed')];
  }
  const problems: Problem[] = [];
  if (data.phase !== 'staging' && data.phase !== 'renaming') problems.push(at('phase', 'must be "staging" or "renaming"'));
  if (!Array.isArray(data.entries)) return [...problems, at('entries', 'must be a list')];
  const seen = new Set<string>();
  data.entries.forEach((entry, i) => problems.push(...entryProblems(entry, `entries[${i}]`, seen, data.phase === 'renaming')));
  if (!Array.isArray(data.createdDirs)) return [...problems, at('createdDirs', 'must be a list')];
  data.createdDirs.forEach((dir, i) => {
    const problem = relativePathProblem(dir);
    if (problem) problems.push(at(`createdDirs[${i}]`, `${JSON.stringify(dir)} ${problem}`));
    else if (![...seen].some((file) => file.startsWith(`${dir as string}/`))) problems.push(at(`createdDirs[${i}]`, `${JSON.stringify(dir)} holds none of the journal's files`));
  });
  for (const relative of [...seen, ...(problems.length === 0 ? (data.createdDirs as string[]) : [])]) {
    const link = linkOnTheWay(root, relative);
    if (link !== undefined) {
      const refused = linkRefused(link, relative);
      problems.push(at(refused.path!, refused.text));
    }
  }
  return problems;
}

/**
 * The journal a killed run left, checked entry by entry; undefined when there is none. Any
 * problem is exit 3 naming the file and the entry, before anything is read from, written to
 * or deleted in the target.
 */
export function readJournal(root: string): Journal | undefined {
  const text = readContained(root, JOURNAL_FILE);
  if (text === undefined) return undefined;
  const refuse = (problems: readonly Problem[]) =>
    conflict('an interrupted commit left a journal that cannot be replayed; nothing was changed.', {
      path: JOURNAL_FILE,
      problems,
      hints: ['Check the files it names by hand (with git status), then delete it.'],
    });
  // Strict, so that no path it names was altered by a replacement character.
  const json = decodeUtf8(text, { keepBom: true });
  if (json === undefined) throw refuse([{ message: `not valid UTF-8 (${describeInvalidUtf8(text)})` }]);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw refuse([{ message: `not JSON: ${(error as Error).message}` }]);
  }
  const problems = journalProblems(data, root);
  if (problems.length > 0) throw refuse(problems);
  return data as Journal;
}
