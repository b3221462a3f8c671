import { lstatSync } from 'node:fs';
import path from 'node:path';
import { conflict } from '../errors.js';
import { NO_THROW_IF_MISSING } from './safe-fs.js';

type Kind = 'dir' | 'file' | 'link' | 'missing';

/**
 * What each path under the root is, looked up once: a batch writes thousands of files into
 * the same few hundred directories, and asking the disk again for each would dominate the run.
 */
export class PathProbe {
  private readonly kinds = new Map<string, Kind>();

  constructor(readonly root: string) {}

  kind(relative: string): Kind {
    let kind = this.kinds.get(relative);
    if (kind === undefined) {
      try {
        const stat = lstatSync(path.join(this.root, relative), NO_THROW_IF_MISSING);
        kind = stat === undefined ? 'missing' : stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : 'file';
      } catch {
        kind = 'missing';
      }
      this.kinds.set(relative, kind);
    }
    return kind;
  }

  /** The directories on the way to `relative` that do not exist yet, outermost first. */
  missingDirs(relative: string): string[] {
    const missing: string[] = [];
    for (let dir = path.dirname(relative); dir !== '.' && this.kind(dir) === 'missing'; dir = path.dirname(dir)) missing.unshift(dir);
    return missing;
  }
}

/**
 * Every path written lies inside the (already realpath'd) target root, and nothing on the way
 * to it is a symbolic link, which could point anywhere. Containment is tested with
 * path.relative, never a string prefix: /srv/app is not inside /srv/ap.
 */
export function assertWritable(root: string, relative: string, probe = new PathProbe(root)): void {
  let segments = relative.split('/');
  // A plain relative path (the usual case, thousands per batch) is inside by construction;
  // anything else is resolved and measured.
  if (path.sep !== '/' || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    const inside = path.relative(root, path.resolve(root, relative));
    if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
      throw conflict(`lies outside the target ${root}; refusing to write it.`, { path: relative });
    }
    segments = inside.split(path.sep);
  }
  let prefix = '';
  for (const [i, segment] of segments.entries()) {
    prefix = i === 0 ? segment : `${prefix}/${segment}`;
    const kind = probe.kind(prefix);
    if (kind === 'missing') return; // nothing exists from here down, so no link either
    if (kind === 'link') {
      throw conflict(`is a symbolic link on the way to ${relative}; refusing to write through it.`, {
        path: prefix,
        hints: ['Replace the link with a real file or directory, or point the config elsewhere.'],
      });
    }
    const last = i === segments.length - 1;
    // Something in the way is a conflict to resolve by hand, found before anything is written.
    if (kind === 'file' && !last) {
      throw conflict(`is a file where ${relative} needs a folder; nothing was written.`, { path: prefix, hints: ['Move it out of the way, or point the config elsewhere.'] });
    }
    if (kind === 'dir' && last) {
      throw conflict('is a folder where a file is to be written; nothing was written.', { path: relative, hints: ['Move it out of the way, or point the config elsewhere.'] });
    }
  }
}

/**
 * `root` joined with a path `assertWritable` accepted (relative, with forward slashes and no
 * empty, `.` or `..` segment), by concatenation: path.join's normalising walk was most of what
 * a large commit allocated for its paths, and has nothing to normalise in such a path.
 */
export function joinAccepted(root: string, accepted: string): string {
  const plain = path.sep === '/' && root.length > 1 && !root.endsWith('/') && !NOT_PLAIN.test(accepted);
  return plain ? `${root}/${accepted}` : path.join(root, accepted);
}

/** An empty, `.` or `..` segment, or a leading slash: what path.join would have to normalise. */
const NOT_PLAIN = /(^|\/)\.{0,2}(\/|$)/;
