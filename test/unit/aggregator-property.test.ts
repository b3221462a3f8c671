import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineEnding } from '../../src/python/edits.js';
import { patchAggregator } from '../../src/python/aggregator.js';
import { scanLogicalLines } from '../../src/python/scan.js';
import { loadAggregatorCases } from '../helpers/aggregator-cases.js';

const MARK = 'JUNK-7f3a';
// Noise that mentions include_router, as comments, blank lines and top-level strings.
const junk = fc.constantFrom(
  `# ${MARK} api_v1_router.include_router(fake_router, prefix="/pet-profile")`,
  `"${MARK} app.include_router(x)"`,
  `'''${MARK}\nrouter.include_router(\n'''`,
  `# ${MARK} from app.api.routes import pet_profile`,
  `#${MARK}`,
);

/** Offsets where a whole top-level statement may go without changing what the code means. */
function safeOffsets(source: string): number[] {
  const lines = scanLogicalLines(source).filter((line) => line.indent === '');
  return lines
    .filter((line, i) => {
      const first = line.tokens[0]?.text ?? '';
      const previous = lines[i - 1]?.tokens[0]?.text;
      // Not between a decorator and its def, nor before the else/except of a block.
      return previous !== '@' && !['else', 'elif', 'except', 'finally', 'case'].includes(first) && !first.startsWith('@');
    })
    .map((line) => line.start)
    // Right after a BOM, stripping the noise again would take the BOM with it.
    .filter((offset) => source.charCodeAt(offset - 1) !== 0xfeff);
}

const withoutJunk = (text: string, eol: string) =>
  text
    .split(eol)
    .filter((line, i, all) => !line.includes(MARK) && !(all[i - 1]?.includes(`'''${MARK}`) && line.includes('router.include_router(')) && !(line === "'''" && all[i - 2]?.includes(`'''${MARK}`)))
    .join(eol);

describe('noise never moves where the patch lands', () => {
  const cases = loadAggregatorCases().filter((corpusCase) => corpusCase.error === undefined && corpusCase.expected !== corpusCase.input);

  it.each(cases.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s', (_, { input, expected, edit }) => {
    const eol = lineEnding(input);
    const offsets = safeOffsets(input);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...offsets), junk, fc.boolean()), { minLength: 1, maxLength: 6 }), (insertions) => {
        let noisy = input;
        for (const [offset, noise, blank] of [...insertions].sort((a, b) => b[0] - a[0])) {
          noisy = noisy.slice(0, offset) + noise.replaceAll('\n', eol) + eol + (blank ? eol : '') + noisy.slice(offset);
        }
        const patched = patchAggregator(noisy, edit).text;
        // Noise can make every include look commented, which rightly adds the feature's own comment.
        const blankLines = (text: string) => text.split(eol).filter((line) => line !== '' && line !== `# ${edit.comment}`).join(eol);
        expect(blankLines(withoutJunk(patched, eol))).toBe(blankLines(expected!));
      }),
      { numRuns: 25 },
    );
  });
});
