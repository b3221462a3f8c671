import { chmodSync, closeSync, constants, copyFileSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { assertWritable, joinAccepted, PathProbe } from './containment.js';
import { ioFailure, PetsageError } from '../errors.js';
import { beforeRename, failIfInjected } from './faults.js';
import { counted, sha256 } from '../data.js';
import { helperPath, isRemoval, JOURNAL_FILE, newRunId, readJournal, rootIdentity, writeJournal, type Journal, type JournalEntry } from './journal.js';
import type { Reporter } from '../output/reporter.js';
import type { Interruption } from './interruption.js';
import { keepLockAlive, whileKeepingLockAlive } from './lock.js';
import { existsNoFollow, isPlainFile, readContained } from './safe-fs.js';
import type { Change } from './tree.js';
import type { FileData } from './content.js';

export { JOURNAL_FILE } from './journal.js';

/** Node's own messages start with the code (`EACCES: permission denied, open ...`). */
const describe = (error: unknown) => {
  const { code, message } = error as NodeJS.ErrnoException;
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
};

/** Where text is encoded before it is written: writeFileSync would allocate a buffer per file. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/** `wx`: O_CREAT|O_EXCL, so a file or link already at the temp name is an error, never written through. */
function writeNewFile(file: string, content: FileData, mode: number | undefined): void {
  const fd = openSync(file, 'wx', mode ?? 0o666);
  try {
    let bytes: Uint8Array = content as Uint8Array;
    if (typeof content === 'string') {
      // At most 3 bytes per UTF-16 unit: most files are counted only by that bound, not scanned.
      if (content.length * 3 > scratch.length) {
        const size = Buffer.byteLength(content);
        if (size > scratch.length) scratch = Buffer.allocUnsafeSlow(size);
      }
      bytes = scratch.subarray(0, scratch.write(content));
    }
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
  if (mode !== undefined) chmodSync(file, mode);
}

/** A hard link, else an exclusive copy: neither follows a link planted at the backup's name. */
function backupOf(file: string, backup: string): void {
  try {
    linkSync(file, backup);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    copyFileSync(file, backup, constants.COPYFILE_EXCL);
  }
}

const attempt = (undo: () => void) => {
  try {
    undo();
  } catch {
    // Best effort: keep undoing the rest.
  }
};

/** Whether the file still holds what this commit wrote there: only then may the undo touch it. */
const stillOurs = (root: string, entry: JournalEntry) => {
  try {
    const bytes = readContained(root, entry.path);
    return bytes !== undefined && sha256(bytes) === entry.sha256;
  } catch {
    return false;
  }
};

/**
 * Puts everything back: renamed files from their backups (or removed), temps and new
 * directories gone. Only helper files named from this run's id are touched, and a file is
 * restored over or deleted only while it holds what this run wrote; the paths of those left
 * alone are returned.
 */
function undo(root: string, journal: Journal, renamed: ReadonlySet<JournalEntry>): string[] {
  const left: string[] = [];
  const helper = (entry: JournalEntry, kind: 'tmp' | 'bak') => helperPath(entry.path, journal.run, kind);
  const removeHelper = (relative: string) => {
    if (isPlainFile(root, relative)) attempt(() => unlinkSync(path.join(root, relative)));
  };
  for (const entry of [...journal.entries].reverse()) {
    const file = path.join(root, entry.path);
    const backup = helper(entry, 'bak');
    if (!renamed.has(entry)) {
      if (!isRemoval(entry)) removeHelper(helper(entry, 'tmp'));
      if (entry.backup) removeHelper(backup);
    } else if (isRemoval(entry)) {
      // A removal: put the file back unless something took its place since.
      if (isPlainFile(root, backup) && !existsNoFollow(file)) attempt(() => renameSync(path.join(root, backup), file));
    } else if (!stillOurs(root, entry)) {
      left.push(entry.path);
      if (entry.backup) removeHelper(backup);
    } else if (entry.backup && isPlainFile(root, backup)) {
      attempt(() => renameSync(path.join(root, backup), file));
    } else if (!entry.backup) {
      attempt(() => unlinkSync(file));
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) attempt(() => rmdirSync(path.join(root, dir)));
  attempt(() => unlinkSync(path.join(root, JOURNAL_FILE)));
  return left;
}

/** Removes the folders that removals left empty, from `dir` up to (not including) the root. */
function pruneEmptyDirs(root: string, dir: string): void {
  for (let current = dir; current !== '.'; current = path.posix.dirname(current)) {
    try {
      if (readdirSync(path.join(root, current)).length > 0) return;
      rmdirSync(path.join(root, current));
    } catch {
      return;
    }
  }
}

/** Drops the backups and the journal; a folder a removal emptied goes too. Also run by recovery. */
function finish(root: string, journal: Journal): void {
  for (const entry of journal.entries) {
    const backup = helperPath(entry.path, journal.run, 'bak');
    if (entry.backup && isPlainFile(root, backup)) attempt(() => unlinkSync(path.join(root, backup)));
  }
  unlinkSync(path.join(root, JOURNAL_FILE));
  for (const entry of journal.entries) if (isRemoval(entry)) pruneEmptyDirs(root, path.posix.dirname(entry.path));
}

/** For commands that only read: a killed run's commit is pending, and what they see is half of it. Whether it is. */
export function warnIfInterrupted(root: string, reporter: Reporter): boolean {
  const interrupted = existsNoFollow(path.join(root, JOURNAL_FILE));
  if (interrupted) {
    reporter.warn('A previous run was interrupted mid-commit; what follows may show half of it. The next feature, update, remove, init or templates eject settles it.');
  }
  return interrupted;
}

/**
 * Completes or undoes a commit a killed run left behind, and says which; undefined when there
 * was none. Call it holding the target's lock, before reading the target. A journal that fails
 * its checks (see journal.ts) is exit 3 with nothing touched.
 */
export function recoverInterruptedCommit(root: string): string | undefined {
  const journal = readJournal(root);
  if (!journal) return undefined;
  // An entry is in place once its temp file is gone (renamed), or, for a removal, its file is.
  const inPlace = (entry: JournalEntry) => !existsNoFollow(path.join(root, isRemoval(entry) ? entry.path : helperPath(entry.path, journal.run, 'tmp')));
  const renamed = new Set(journal.phase === 'renaming' ? journal.entries.filter(inPlace) : []);
  if (journal.phase === 'renaming' && renamed.size === journal.entries.length) {
    finish(root, journal);
    return `A previous run was interrupted after writing all ${counted(renamed.size, 'file')}; completed it.`;
  }
  const left = undo(root, journal, renamed);
  const kept = left.length > 0 ? ` ${left.join(', ')} changed since, so left as found.` : '';
  return `A previous run was interrupted mid-commit; undid it (${renamed.size} of ${counted(journal.entries.length, 'file')} had been written).${kept}`;
}

const SIGNAL_CHECK_EVERY = 64;

export interface CommitOptions {
  /** The transaction's signal watch: a signal at any point rolls the commit back (exit 4). */
  interruption: Interruption;
  /** What staging found on disk, when it staged these changes under the same lock. */
  probe?: PathProbe;
  /**
   * Runs with every file in place and the backups still kept (`--verify`): if it throws, the
   * commit is undone and its error passed on as it is; a signal meanwhile undoes it too.
   */
  beforeFinish?: () => Promise<void>;
}

const ROLLED_BACK = 'every change was rolled back, and the target is as it was.';

/**
 * Writes every created or updated file all-or-nothing. Each goes to a temp file in its own
 * directory; files being replaced get a backup; a journal records it all; then the temp files
 * are renamed into place. On any error or interrupting signal everything is undone, so the
 * target is byte-identical to before with no temp file and no new directory, and the error
 * (exit 4) names the file and the cause.
 */
export async function commitChanges(root: string, changes: readonly Change[], options: CommitOptions): Promise<void> {
  const { interruption } = options;
  const writes = changes.filter((change) => change.action === 'created' || change.action === 'updated' || change.action === 'removed');
  if (writes.length === 0) return;
  const probe = options.probe ?? new PathProbe(root);
  for (const change of writes) assertWritable(root, change.path, probe);

  const journal: Journal = {
    version: 2,
    run: newRunId(),
    root: rootIdentity(root),
    phase: 'staging',
    createdDirs: [],
    entries: writes.map((change) => ({
      path: change.path,
      ...(change.action === 'removed' && { removal: true as const }),
      backup: change.previous !== undefined,
    })),
  };
  const created = new Set<string>();
  for (const change of writes.filter((write) => write.action !== 'removed')) {
    for (const dir of probe.missingDirs(change.path)) created.add(dir);
  }
  journal.createdDirs = [...created];
  const helper = (entry: JournalEntry, kind: 'tmp' | 'bak') => joinAccepted(root, helperPath(entry.path, journal.run, kind));

  const renamed = new Set<JournalEntry>();
  let current: JournalEntry | undefined;
  try {
    writeJournal(root, journal);
    for (const dir of journal.createdDirs) mkdirSync(joinAccepted(root, dir));
    for (const [i, entry] of journal.entries.entries()) {
      current = entry;
      const file = joinAccepted(root, entry.path);
      const mode = entry.backup ? lstatSync(file).mode & 0o7777 : undefined;
      failIfInjected('write', i + 1, entry.path);
      if (!isRemoval(entry)) {
        // Made now, once, and hashed as it is made: what the renaming journal and the record say was written.
        writeNewFile(helper(entry, 'tmp'), writes[i]!.content.data(), mode);
        entry.sha256 = writes[i]!.content.sha256;
      }
      if (entry.backup) backupOf(file, helper(entry, 'bak'));
    }
    journal.phase = 'renaming';
    writeJournal(root, journal);
    for (const [i, entry] of journal.entries.entries()) {
      current = entry;
      await beforeRename(i + 1);
      // Let a pending SIGINT or SIGTERM reach its handler, every few files (a turn of the event
      // loop per file would cost a large batch seconds).
      if (i % SIGNAL_CHECK_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        keepLockAlive();
      }
      if (interruption.interrupted) throw interruption.error(`${entry.path} was next; ${ROLLED_BACK}`);
      failIfInjected('rename', i + 1, entry.path);
      if (!isRemoval(entry)) renameSync(helper(entry, 'tmp'), joinAccepted(root, entry.path));
      else unlinkSync(joinAccepted(root, entry.path));
      renamed.add(entry);
    }
    await beforeRename(journal.entries.length + 1);
    current = undefined;
    if (options.beforeFinish) {
      try {
        await whileKeepingLockAlive(options.beforeFinish);
      } catch (error) {
        // A cancelled check fails with the cancellation; what the user sees is the signal.
        if (!interruption.interrupted) throw error;
      }
    }
    interruption.check(ROLLED_BACK);
    finish(root, journal);
  } catch (error) {
    undo(root, journal, renamed);
    if (error instanceof PetsageError) throw error;
    throw ioFailure(`${describe(error)}; ${ROLLED_BACK}`, { path: current?.path ?? root });
  }
}
