import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PathProbe } from './containment.js';
import { conflict, ioFailure } from './errors.js';

export type ChangeAction = 'created' | 'updated' | 'unchanged' | 'conflict' | 'removed';

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
  /** A null content stages a removal. */
  private readonly staged = new Map<string, { content: Buffer | null; overwrite: boolean }>();

  constructor(readonly root: string) {}

  private absolute(relative: string): string {
    return path.join(this.root, relative);
  }

  read(relative: string): string | undefined {
    const staged = this.staged.get(relative);
    if (staged) return staged.content?.toString('utf8');
    return readIfExists(this.absolute(relative))?.toString('utf8');
  }

  /** Stages the removal of a file; removing what does not exist changes nothing. */
  remove(relative: string): void {
    this.staged.set(relative, { content: null, overwrite: true });
  }

  write(relative: string, content: string | Buffer, options: WriteOptions): void {
    this.staged.set(relative, { content: Buffer.from(content), overwrite: options.overwrite });
  }

  changes(): Change[] {
    const probe = new PathProbe(this.root);
    return [...this.staged].flatMap(([relative, { content, overwrite }]): Change[] => {
      const previous = probe.parentExists(relative) ? readIfExists(this.absolute(relative)) : undefined;
      if (content === null) return previous === undefined ? [] : [{ path: relative, action: 'removed', content: Buffer.alloc(0), previous }];
      if (previous === undefined) return [{ path: relative, action: 'created', content }];
      if (previous.equals(content)) return [{ path: relative, action: 'unchanged', content, previous }];
      return [{ path: relative, action: overwrite ? 'updated' : 'conflict', content, previous }];
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
