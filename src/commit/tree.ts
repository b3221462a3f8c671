import path from 'node:path';
import { PathProbe } from './containment.js';
import { conflict } from '../errors.js';
import { linkRefused, readNoFollow, targetText } from './safe-fs.js';
import { Content } from './content.js';
import { counted } from '../data.js';

export type ChangeAction = 'created' | 'updated' | 'unchanged' | 'conflict' | 'removed';

export interface Change {
  /** Relative to the target root, with forward slashes. */
  path: string;
  action: ChangeAction;
  /** Empty for a removal. */
  content: Content;
  /** The bytes on disk before the run, for updates, conflicts and rollback. */
  previous?: Buffer;
}

/** `overwrite` is for files the run edits on purpose (the aggregator) or when forced. */
export interface WriteOptions {
  overwrite: boolean;
}

/**
 * A file's bytes, or undefined when it does not exist. A link on the way (checked through the
 * probe's cache, then O_NOFOLLOW for the file itself) or a file that is not plain is refused:
 * the run reads only what lies in the target.
 */
function readIfExists(probe: PathProbe, relative: string): Buffer | undefined {
  const segments = relative.split('/');
  for (let i = 1; i < segments.length; i += 1) {
    const dir = segments.slice(0, i).join('/');
    const kind = probe.kind(dir);
    if (kind === 'missing' || kind === 'file') return undefined;
    if (kind === 'link') throw linkRefused(dir, relative);
  }
  // Asked through the probe, so the commit's containment check of this path costs nothing more.
  if (probe.kind(relative) === 'missing') return undefined;
  return readNoFollow(path.join(probe.root, relative), relative);
}

/**
 * The target as the run will leave it, held in memory: reads see staged writes first,
 * and nothing touches the disk until `commit`. An identical write is no change.
 */
export class StagedTree {
  /** A null content stages a removal. */
  private readonly staged = new Map<string, { content: Content | null; overwrite: boolean }>();

  /** What each path is on disk, shared with the commit that follows: nothing changes in between, under the lock. */
  readonly probe: PathProbe;

  constructor(readonly root: string) {
    this.probe = new PathProbe(root);
  }

  /** A file's text; one that is not valid UTF-8 is refused (exit 3), never decoded with U+FFFD. */
  read(relative: string): string | undefined {
    const bytes = this.readBytes(relative);
    return bytes === undefined ? undefined : targetText(bytes, relative);
  }

  /** A file's bytes as the run will leave it, where only bytes matter (whether a file is there, and as what). */
  readBytes(relative: string): Buffer | undefined {
    const staged = this.staged.get(relative);
    return staged ? staged.content?.bytes() : readIfExists(this.probe, relative);
  }

  /** Stages the removal of a file; removing what does not exist changes nothing. */
  remove(relative: string): void {
    this.staged.set(relative, { content: null, overwrite: true });
  }

  write(relative: string, content: string | Buffer | Content, options: WriteOptions): void {
    this.staged.set(relative, { content: content instanceof Content ? content : Content.of(content), overwrite: options.overwrite });
  }

  changes(): Change[] {
    return [...this.staged].flatMap(([relative, { content, overwrite }]): Change[] => {
      const previous = readIfExists(this.probe, relative);
      if (content === null) return previous === undefined ? [] : [{ path: relative, action: 'removed', content: Content.of(Buffer.alloc(0)), previous }];
      // A file that does not exist yet cannot conflict: its bytes are not needed until written.
      if (previous === undefined) return [{ path: relative, action: 'created', content }];
      if (previous.equals(content.bytes())) return [{ path: relative, action: 'unchanged', content, previous }];
      return [{ path: relative, action: overwrite ? 'updated' : 'conflict', content, previous }];
    });
  }
}

export function assertNoConflicts(changes: readonly Change[]): void {
  const conflicts = changes.filter((change) => change.action === 'conflict');
  if (conflicts.length > 0) {
    throw conflict(`${counted(conflicts.length, 'file')} already ${conflicts.length === 1 ? 'exists' : 'exist'} with different content; nothing was written.`, {
      problems: conflicts.map((change) => ({ path: change.path, message: 'exists and differs' })),
      hints: ['Move or delete them, or pass --force to overwrite.'],
    });
  }
}
