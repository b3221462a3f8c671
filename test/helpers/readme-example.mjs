// The README's opening example, read from the README itself: the demo runs it, the e2e test
// checks it, the bench times it, so none of them can drift from what a reader sees.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The code block that follows a `<!-- readme-example:<name> -->` marker in the README. */
export function readmeBlock(name) {
  const readme = readFileSync(README, 'utf8');
  const marker = readme.indexOf(`<!-- readme-example:${name} -->`);
  const block = marker < 0 ? null : /```\w*\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (block === null) throw new Error(`README.md has no code block after <!-- readme-example:${name} -->`);
  return block[1];
}
