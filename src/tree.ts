import { chmodSync, lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { conflict, ioFailure } from './errors.js';

export type ChangeAction = 'created' | 'updated' | 'unchanged' | 'conflict';

export interface Change {
  /** Relative to the target root, with forward slashes. */
  path: string;
  action: ChangeAction;
  content: Buffer;
  /** The bytes on disk before the run, for updates, conflicts and rollback. */
  previous?: Buffer;
}

/** `overwrite` is for files the run edits on purpose (the aggregator) or when forced. */
export interface WriteOptions {
  overwrite: boolean;
}

function readIfExists(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file; the write will fail and say so.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw ioFailure(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

/**
 * The target as the run will leave it, held in memory: reads see staged writes first,
 * and nothing touches the disk until `commit`. An identical write is no change.
 */
export class StagedTree {
  private readonly staged = new Map<string, { content: Buffer; overwrite: boolean }>();

  constructor(readonly root: string) {}

  private absolute(relative: string): string {
    return path.join(this.root, relative);
  }

  read(relative: string): string | undefined {
    const staged = this.staged.get(relative);
    if (staged) return staged.content.toString('utf8');
    return readIfExists(this.absolute(relative))?.toString('utf8');
  }

  /** Raw bytes, for edits that must keep every byte they do not change. */
  readBytes(relative: string): Buffer | undefined {
    return this.staged.get(relative)?.content ?? readIfExists(this.absolute(relative));
  }

  write(relative: string, content: string | Buffer, options: WriteOptions): void {
    this.staged.set(relative, { content: Buffer.from(content), overwrite: options.overwrite });
  }

  changes(): Change[] {
    return [...this.staged].map(([relative, { content, overwrite }]) => {
      const previous = readIfExists(this.absolute(relative));
      if (previous === undefined) return { path: relative, action: 'created', content };
      if (previous.equals(content)) return { path: relative, action: 'unchanged', content, previous };
      return { path: relative, action: overwrite ? 'updated' : 'conflict', content, previous };
    });
  }
}

export function assertNoConflicts(changes: readonly Change[]): void {
  const conflicts = changes.filter((change) => change.action === 'conflict');
  if (conflicts.length > 0) {
    throw conflict(
      `${conflicts.length} file(s) already exist with different content; nothing was written.`,
      [...conflicts.map((change) => `${change.path}: exists and differs`), 'Move or delete them, or pass --force to overwrite.'],
    );
  }
}

/** Directories from `dir` up to (not including) `root` that do not exist yet, outermost first. */
function missingDirs(root: string, dir: string): string[] {
  const missing: string[] = [];
  for (let current = dir; current !== root && current.startsWith(root); current = path.dirname(current)) {
    try {
      lstatSync(current);
      break;
    } catch {
      missing.unshift(current);
    }
  }
  return missing;
}

/** `wx`: a leftover temp file is an error, never silently reused. */
function writeNewFile(file: string, content: Buffer, mode: number | undefined): void {
  writeFileSync(file, content, { flag: 'wx', mode: mode ?? 0o666 });
  if (mode !== undefined) chmodSync(file, mode);
}

const describe = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Writes every created or updated file all-or-nothing: each goes to a temp file in its own
 * directory, then all are renamed into place. On any failure the renames are undone from the
 * in-memory backups, temp files and new directories are removed, and the error names the file.
 */
export function commitChanges(root: string, changes: readonly Change[]): void {
  const writes = changes.filter((change) => change.action === 'created' || change.action === 'updated');
  const createdDirs: string[] = [];
  const temps = new Map<Change, string>();
  const renamed: Change[] = [];
  let failing: Change | undefined;
  try {
    for (const change of writes) {
      failing = change;
      const file = path.join(root, change.path);
      for (const dir of missingDirs(root, path.dirname(file))) {
        mkdirSync(dir);
        createdDirs.push(dir);
      }
      const temp = path.join(path.dirname(file), `.${path.basename(file)}.petsage-${process.pid}.tmp`);
      const mode = change.previous ? lstatSync(file).mode & 0o7777 : undefined;
      writeNewFile(temp, change.content, mode);
      temps.set(change, temp);
    }
    for (const change of writes) {
      failing = change;
      renameSync(temps.get(change)!, path.join(root, change.path));
      temps.delete(change);
      renamed.push(change);
    }
  } catch (error) {
    rollback(root, renamed, temps, createdDirs);
    throw ioFailure(`${failing?.path ?? root}: write failed (${describe(error)}); every change was rolled back.`);
  }
}

function rollback(root: string, renamed: Change[], temps: Map<Change, string>, createdDirs: string[]): void {
  const attempt = (undo: () => void) => {
    try {
      undo();
    } catch {
      // Best effort: keep undoing the rest.
    }
  };
  for (const temp of temps.values()) attempt(() => unlinkSync(temp));
  for (const change of renamed.reverse()) {
    const file = path.join(root, change.path);
    if (change.previous) {
      const temp = `${file}.petsage-restore.tmp`;
      attempt(() => {
        writeNewFile(temp, change.previous!, lstatSync(file).mode & 0o7777);
        renameSync(temp, file);
      });
    } else {
      attempt(() => unlinkSync(file));
    }
  }
  for (const dir of createdDirs.reverse()) attempt(() => rmdirSync(dir));
}
