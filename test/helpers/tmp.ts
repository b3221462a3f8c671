import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered once, when a test file first imports this module: an afterAll registered from
// inside a running test (where many temp dirs are made) would never run.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp directory removed after the test file's run. */
export function tempDir(prefix = 'petsage-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temp directory holding `files` (path: content), folders made as needed. */
export function projectWith(files: Record<string, string | Buffer>): string {
  const root = tempDir();
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
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

/**
 * Fresh copies of one backend: `copy()` returns a new directory holding what `pristine` holds
 * at that moment. `pristine` is `<workspace>/pristine`, for the test file to fill first.
 */
export function backendCopies(workspace: string) {
  const pristine = path.join(workspace, 'pristine');
  let copies = 0;
  return {
    pristine,
    copy(): string {
      copies += 1;
      const root = path.join(workspace, `backend-${copies}`);
      cpSync(pristine, root, { recursive: true });
      return root;
    },
    /** How many copies were made, for naming things beside them. */
    get count() {
      return copies;
    },
  };
}
