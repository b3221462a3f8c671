/**
 * The full collection a large commit asks for before it writes (src/commit/collect-garbage.ts):
 * it must really collect, or the 10,000-feature batch's memory budget is kept by luck.
 */
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/commit/collect-garbage.js';

describe('collectGarbage', () => {
  it('collects an object nothing refers to any more, at once', async () => {
    const dropped = new WeakRef({ payload: 'x'.repeat(1024) });
    // A WeakRef's target is kept until the task that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    await collectGarbage();
    expect(dropped.deref()).toBeUndefined();
  });
});
