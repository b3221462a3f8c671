import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A temp directory removed after the test file's run. */
export function tempDir(prefix = 'petsage-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file and directory under `root` with its bytes, to prove a tree byte-identical. */
export function snapshotTree(root: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const relative = path.relative(root, full);
      if (statSync(full).isDirectory()) {
        snapshot[`${relative}/`] = '';
        walk(full);
      } else {
        snapshot[relative] = readFileSync(full).toString('base64');
      }
    }
  };
  walk(root);
  return snapshot;
}
