import type { Reporter } from '../output/reporter.js';
import type { Change } from './tree.js';
import { decodeUtf8, describeInvalidUtf8 } from '../utf8.js';
import { importLazily } from '../lazy-import.js';
import { sha256 } from '../data.js';

/**
 * A unified diff of one file (before undefined: created; after undefined: removed), cut to
 * `maxLines` when given. `sides` names what each side is (`on disk`, `fresh render`) where
 * `a/` and `b/` would leave the reader guessing. The diff library is loaded only here.
 */
export async function printDiff(file: string, before: string | undefined, after: string | undefined, reporter: Reporter, maxLines?: number, sides?: readonly [string, string]): Promise<void> {
  const { createTwoFilesPatch } = await importLazily<typeof import('diff')>('diff');
  const from = before === undefined ? '/dev/null' : sides ? `${file} (${sides[0]})` : `a/${file}`;
  const to = after === undefined ? '/dev/null' : sides ? `${file} (${sides[1]})` : `b/${file}`;
  const lines = createTwoFilesPatch(from, to, before ?? '', after ?? '', undefined, undefined, { context: 3 }).trimEnd().split('\n').slice(1);
  const shown = maxLines === undefined || lines.length <= maxLines ? lines : [...lines.slice(0, maxLines), `... (${lines.length - maxLines} more lines)`];
  reporter.diff(shown.join('\n'));
}

/** A record's merge base: compressed files as one long base64 line, which no one reads in a diff. */
const RECORD_BASE = /^(\s*"base": ")(\w+):([A-Za-z0-9+/=]*)(",?)$/m;

/**
 * A file's text as a dry run shows it: a record's base stands as its size and a short hash, so
 * that a changed base still shows as one changed line.
 */
function shown(file: string, text: string | undefined): string | undefined {
  if (text === undefined || !file.startsWith('.petsage/')) return text;
  return text.replace(RECORD_BASE, (_, start: string, format: string, body: string, end: string) => `${start}${format}:<${body.length} characters, sha256 ${sha256(body).slice(0, 12)}>${end}`);
}

/** The tree of changes and a unified diff of each; nothing is written. */
export async function printDryRun(changes: readonly Change[], reporter: Reporter): Promise<void> {
  reporter.info('Dry run: nothing is written. These changes would be made:');
  reporter.changes(changes);
  if (changes.every((change) => change.action === 'unchanged')) reporter.info('Already up to date: nothing would change.');
  // In the tree's order (by path, code unit by code unit), so that the diffs follow the list above.
  for (const change of [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (change.action === 'unchanged') continue;
    const after = change.action === 'removed' ? undefined : change.content.bytes().toString('utf8');
    const before = change.previous === undefined ? undefined : decodeUtf8(change.previous, { keepBom: true });
    // A file on disk that is not UTF-8 (only ever replaced whole, byte-exact) has no text to diff,
    // and a lenient decode would show U+FFFD where its bytes are.
    if (change.previous !== undefined && before === undefined) {
      reporter.info(`${change.path}: is not valid UTF-8 on disk (${describeInvalidUtf8(change.previous)}); no diff shown.`);
      continue;
    }
    // A conflict stops the real run before anything is written: its diff is only what --force would do.
    if (change.action === 'conflict') reporter.info(`${change.path}: in the way, so the run would write nothing; with --force it would write this:`);
    await printDiff(change.path, shown(change.path, before), shown(change.path, after), reporter);
  }
}
