import type { Blueprint } from './presets.js';
import { readContainedText } from '../commit/safe-fs.js';

/** A module-level `client` fixture: `@pytest.fixture` (or `@fixture`, called or not) over `def client(`. */
const CLIENT_FIXTURE = /^@(?:pytest\.)?fixture(?:\([^\n]*\))?[ \t]*\r?\n(?:async )?def client\(/m;

/**
 * Whether a conftest.py that pytest loads for the feature tests (the project's, and each folder's
 * on the way to where the tests go, up to the first folder named after the feature) provides a
 * `client` fixture, which the generated tests then use instead of defining their own.
 */
export function providesClientFixture(root: string, blueprint: Blueprint): boolean {
  const folders = blueprint.paths.test.split('/').slice(0, -1);
  const named = folders.findIndex((folder) => folder.includes('{feature}'));
  const fixed = named === -1 ? folders : folders.slice(0, named);
  const conftests = ['conftest.py', ...fixed.map((_, i) => `${fixed.slice(0, i + 1).join('/')}/conftest.py`)];
  return conftests.some((file) => CLIENT_FIXTURE.test(readContainedText(root, file) ?? ''));
}
