import { lstatSync } from 'node:fs';
import path from 'node:path';
import { conflict } from './errors.js';

/**
 * Every path written lies inside the (already realpath'd) target root, and nothing on the way
 * to it is a symbolic link, which could point anywhere. Containment is tested with
 * path.relative, never a string prefix: /srv/app is not inside /srv/ap.
 */
export function assertWritable(root: string, relative: string): void {
  const inside = path.relative(root, path.resolve(root, relative));
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    throw conflict(`${relative}: lies outside the target ${root}; refusing to write it.`);
  }
  let current = root;
  for (const segment of inside.split(path.sep)) {
    current = path.join(current, segment);
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return; // nothing exists from here down, so no link either
    }
    if (isLink) {
      throw conflict(`${path.relative(root, current)}: is a symbolic link on the way to ${relative}; refusing to write through it.`, [
        'Replace the link with a real file or directory, or point the config elsewhere.',
      ]);
    }
  }
}
