import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO_ROOT, 'bin', 'petsage-build.cjs');
export const fixture = (relative: string) => path.join(REPO_ROOT, 'fixtures', relative);
