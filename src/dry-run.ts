import type { Reporter } from './log.js';
import type { Change } from './tree.js';

/** A unified diff of every change, with colour when the reporter has it; the diff library loads only here. */
export async function printDryRun(changes: readonly Change[], reporter: Reporter): Promise<void> {
  const { createTwoFilesPatch } = await import('diff');
  reporter.info('Dry run: nothing is written. These changes would be made:');
  reporter.changes(changes);
  for (const change of changes) {
    if (change.action === 'unchanged') continue;
    const before = change.previous?.toString('utf8') ?? '';
    const after = change.content.toString('utf8');
    const from = change.previous ? `a/${change.path}` : '/dev/null';
    const patch = createTwoFilesPatch(from, `b/${change.path}`, before, after, undefined, undefined, { context: 3 });
    reporter.diff(patch.split('\n').slice(1).join('\n'));
  }
}
