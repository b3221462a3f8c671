import { existsSync, linkSync, lstatSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { assertWritable, PathProbe } from './containment.js';
import { conflict, ioFailure, PetsageError } from './errors.js';
import { beforeRename, failIfInjected } from './faults.js';
import type { Change } from './tree.js';

/**
 * The commit journal: what a commit is doing, written before it touches any file, so that a
 * run killed mid-commit (SIGKILL, power cut of the process) can be completed or undone by the
 * next one. `staging`: temp files and backups are being written, nothing is in place yet.
 * `renaming`: temp files are being renamed into place; an entry whose temp file is gone is in.
 */
export const JOURNAL_FILE = '.petsage-journal.json';

interface JournalEntry {
  path: string;
  /** The new content's temp file; none for a removal. */
  temp?: string;
  /** A hard link to (or copy of) the file being replaced or removed. */
  backup?: string;
}

interface Journal {
  phase: 'staging' | 'renaming';
  entries: JournalEntry[];
  /** Directories the commit created, outermost first. */
  createdDirs: string[];
}

/** Node's own messages start with the code (`EACCES: permission denied, open ...`). */
const describe = (error: unknown) => {
  const { code, message } = error as NodeJS.ErrnoException;
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
};

function writeJournal(root: string, journal: Journal): void {
  const file = path.join(root, JOURNAL_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(journal));
  renameSync(`${file}.tmp`, file);
}

/** `wx`: a leftover temp file is an error, never silently reused. */
function writeNewFile(file: string, content: Buffer, mode: number | undefined): void {
  writeFileSync(file, content, { flag: 'wx', mode: mode ?? 0o666 });
  if (mode !== undefined) chmodSync(file, mode);
}

function backupOf(file: string, backup: string): void {
  try {
    linkSync(file, backup);
  } catch {
    copyFileSync(file, backup);
  }
}

const attempt = (undo: () => void) => {
  try {
    undo();
  } catch {
    // Best effort: keep undoing the rest.
  }
};

/** Puts everything back: renamed files from their backups (or removed), temps and new directories gone. */
function undo(root: string, journal: Journal, renamed: ReadonlySet<JournalEntry>): void {
  for (const entry of [...journal.entries].reverse()) {
    const file = path.join(root, entry.path);
    if (renamed.has(entry)) {
      if (entry.backup) attempt(() => renameSync(path.join(root, entry.backup!), file));
      else attempt(() => unlinkSync(file));
    } else {
      if (entry.temp) attempt(() => unlinkSync(path.join(root, entry.temp!)));
      if (entry.backup) attempt(() => unlinkSync(path.join(root, entry.backup!)));
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) attempt(() => rmdirSync(path.join(root, dir)));
  attempt(() => unlinkSync(path.join(root, `${JOURNAL_FILE}.tmp`)));
  attempt(() => unlinkSync(path.join(root, JOURNAL_FILE)));
}

function finish(root: string, journal: Journal): void {
  for (const entry of journal.entries) if (entry.backup) attempt(() => unlinkSync(path.join(root, entry.backup!)));
  unlinkSync(path.join(root, JOURNAL_FILE));
}

/**
 * Completes or undoes a commit a killed run left behind, and says which; undefined when there
 * was none. Call it holding the target's lock, before reading the target.
 */
export function recoverInterruptedCommit(root: string): string | undefined {
  const file = path.join(root, JOURNAL_FILE);
  if (!existsSync(file)) {
    attempt(() => unlinkSync(`${file}.tmp`));
    return undefined;
  }
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch (error) {
    throw conflict(`${JOURNAL_FILE}: an interrupted commit left a journal that cannot be read (${(error as Error).message}); nothing was changed.`, [
      'Check the files it names by hand (with git status), then delete it.',
    ]);
  }
  // An entry is in place once its temp file is gone (renamed), or, for a removal, its file is.
  const inPlace = (entry: JournalEntry) => !existsSync(path.join(root, entry.temp ?? entry.path));
  const renamed = new Set(journal.phase === 'renaming' ? journal.entries.filter(inPlace) : []);
  if (journal.phase === 'renaming' && renamed.size === journal.entries.length) {
    finish(root, journal);
    return `A previous run was interrupted after writing all ${renamed.size} file(s); completed it.`;
  }
  undo(root, journal, renamed);
  return `A previous run was interrupted mid-commit; undid it (${renamed.size} of ${journal.entries.length} file(s) had been written).`;
}

const SIGNAL_CHECK_EVERY = 64;

/** The signals that interrupt a commit; it is rolled back rather than left half done. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Writes every created or updated file all-or-nothing. Each goes to a temp file in its own
 * directory; files being replaced get a backup; a journal records it all; then the temp files
 * are renamed into place. On any error or interrupting signal everything is undone, so the
 * target is byte-identical to before with no temp file and no new directory, and the error
 * (exit 4) names the file and the cause.
 */
export interface CommitOptions {
  /**
   * Runs with every file in place and the backups still kept (`--verify`): if it throws, the
   * commit is undone and its error passed on as it is.
   */
  beforeFinish?: () => Promise<void>;
}

export async function commitChanges(root: string, changes: readonly Change[], options: CommitOptions = {}): Promise<void> {
  const writes = changes.filter((change) => change.action === 'created' || change.action === 'updated' || change.action === 'removed');
  if (writes.length === 0) return;
  const probe = new PathProbe(root);
  for (const change of writes) assertWritable(root, change.path, probe);

  const tag = `petsage-${process.pid}`;
  const journal: Journal = {
    phase: 'staging',
    createdDirs: [],
    entries: writes.map((change) => {
      const dir = path.dirname(change.path);
      const base = path.basename(change.path);
      const temp = change.action === 'removed' ? undefined : path.join(dir, `.${base}.${tag}.tmp`);
      const backup = change.previous ? path.join(dir, `.${base}.${tag}.bak`) : undefined;
      return { path: change.path, ...(temp && { temp }), ...(backup && { backup }) };
    }),
  };
  const created = new Set<string>();
  for (const change of writes.filter((write) => write.action !== 'removed')) {
    for (const dir of probe.missingDirs(change.path)) created.add(dir);
  }
  journal.createdDirs = [...created];

  let interrupted: string | undefined;
  const onSignal = (signal: string) => {
    interrupted = signal;
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  const renamed = new Set<JournalEntry>();
  let current: JournalEntry | undefined;
  try {
    writeJournal(root, journal);
    for (const dir of journal.createdDirs) mkdirSync(path.join(root, dir));
    for (const [i, entry] of journal.entries.entries()) {
      current = entry;
      const file = path.join(root, entry.path);
      const mode = entry.backup ? lstatSync(file).mode & 0o7777 : undefined;
      failIfInjected('write', i + 1, entry.path);
      if (entry.temp) writeNewFile(path.join(root, entry.temp), writes[i]!.content, mode);
      if (entry.backup) backupOf(file, path.join(root, entry.backup));
    }
    journal.phase = 'renaming';
    writeJournal(root, journal);
    for (const [i, entry] of journal.entries.entries()) {
      current = entry;
      await beforeRename(i + 1);
      // Let a pending SIGINT or SIGTERM reach its handler, every few files (a turn of the event
      // loop per file would cost a large batch seconds).
      if (i % SIGNAL_CHECK_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      if (interrupted) throw Object.assign(new Error(`interrupted by ${interrupted}`), { code: interrupted });
      failIfInjected('rename', i + 1, entry.path);
      if (entry.temp) renameSync(path.join(root, entry.temp), path.join(root, entry.path));
      else unlinkSync(path.join(root, entry.path));
      renamed.add(entry);
    }
    await beforeRename(journal.entries.length + 1);
    await options.beforeFinish?.();
    finish(root, journal);
  } catch (error) {
    undo(root, journal, renamed);
    if (error instanceof PetsageError) throw error;
    throw ioFailure(`${current?.path ?? root}: ${describe(error)}; every change was rolled back, and the target is as it was.`);
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
