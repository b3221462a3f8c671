import { lstatSync } from 'node:fs';
import path from 'node:path';
import { conflict } from '../errors.js';

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
        const stat = lstatSync(path.join(this.root, relative));
        kind = stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : 'file';
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
  const inside = path.relative(root, path.resolve(root, relative));
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    throw conflict(`lies outside the target ${root}; refusing to write it.`, { path: relative });
  }
  const segments = inside.split(path.sep);
  for (let i = 1; i <= segments.length; i += 1) {
    const prefix = segments.slice(0, i).join('/');
    const kind = probe.kind(prefix);
    if (kind === 'missing') return; // nothing exists from here down, so no link either
    if (kind === 'link') {
      throw conflict(`is a symbolic link on the way to ${relative}; refusing to write through it.`, {
        path: prefix,
        hints: ['Replace the link with a real file or directory, or point the config elsewhere.'],
      });
    }
    // Something in the way is a conflict to resolve by hand, found before anything is written.
    if (kind === 'file' && i < segments.length) {
      throw conflict(`is a file where ${relative} needs a folder; nothing was written.`, { path: prefix, hints: ['Move it out of the way, or point the config elsewhere.'] });
    }
    if (kind === 'dir' && i === segments.length) {
      throw conflict('is a folder where a file is to be written; nothing was written.', { path: relative, hints: ['Move it out of the way, or point the config elsewhere.'] });
    }
  }
}
