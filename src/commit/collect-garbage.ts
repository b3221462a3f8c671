import { importLazily } from '../lazy-import.js';

/**
 * How many files a commit writes before it is worth a full garbage collection first: about
 * 3,000 features. Below it, the collection costs more than the memory it gives back matters.
 */
export const LARGE_COMMIT = 20_000;

/**
 * One full garbage collection, between staging and the commit of a large batch. Staging a batch
 * builds structures that live for a whole step (every feature's claimed names, the patched
 * aggregator's scan, the classified changes), so V8 moves them to its old generation, where
 * they stay after the step until a full collection; and V8 lets the old generation grow to up
 * to four times what was live at the last one before it runs another. For 10,000 features that
 * was a peak of about 320 MiB, against 280 MiB with this collection, which costs about 70 ms
 * (`npm run bench`, and paired runs of the binary). Node has no API for it but the `gc`
 * function the `--expose-gc` flag gives new contexts; the flag is set here, at run time, only
 * for such a batch.
 */
export async function collectGarbage(): Promise<void> {
  const [v8, vm] = await Promise.all([importLazily<typeof import('node:v8')>('node:v8'), importLazily<typeof import('node:vm')>('node:vm')]);
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
