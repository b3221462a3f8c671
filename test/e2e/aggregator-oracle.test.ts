import { describe, expect, it } from 'vitest';
import { loadAggregatorCases } from '../helpers/aggregator-cases.js';
import { brokenRules, type Judged } from '../helpers/aggregator-oracle.js';

// The oracle that judges the corpus must itself be able to fail: each wrong patch below, made by
// hand from a right one, has to be caught, for the reason given.
const cases = new Map(loadAggregatorCases().map((corpusCase) => [corpusCase.name, corpusCase]));

/** A wrong patch of `name`: `mutate` turns its input and right result into a wrong result. */
function wrong(name: string, mutate: (right: string, input: string) => string): Judged {
  const corpusCase = cases.get(name)!;
  const patched = mutate(corpusCase.expected!, corpusCase.input);
  // A mutation that changed nothing would test nothing.
  expect(patched).not.toBe(corpusCase.expected);
  return { name, original: corpusCase.input, patched, ...corpusCase.registers! };
}

const includeLine = (text: string, router: string) => new RegExp(`^${router}\\.include_router\\(pet_profile[^\\n]*\\n`, 'm').exec(text)![0];
const moveToEnd = (text: string, line: string) => text.replace(line, '') + line;

const mutants: [reason: RegExp, patch: () => Judged][] = [
  [/not a top-level statement/, () => wrong('module_list_with_if_block', (right) => `${right.replace(includeLine(right, 'api_router'), '')}    ${includeLine(right, 'api_router')}`)],
  [/included into admin_router/, () => wrong('three_routers_composed', (right) => right.replace('public_router.include_router(pet_profile', 'admin_router.include_router(pet_profile'))],
  [/after the router is included into another/, () => wrong('three_routers_composed', (right) => moveToEnd(right, includeLine(right, 'public_router')))],
  [/right after the last sibling include/, () => wrong('parenthesized_sorted_list', (right) => {
    const line = includeLine(right, 'api_router');
    return right.replace(line, '').replace('api_router.include_router(items.router, prefix="/items")\n', (first) => first + line);
  })],
  [/right after the router's definition/, () => wrong('app_detected', (right) => moveToEnd(right, includeLine(right, 'app')))],
  [/not the router and \[\(.prefix.,/, () => wrong('init_modules_second', (right) => right.replace('prefix="/pet-profile"', 'prefix="/pet_profile"'))],
  [/not the router and \[\(.prefix.,/, () => wrong('init_modules_second', (right) => right.replace('prefix="/pet-profile")', 'prefix="/pet-profile", tags=["pets"])'))],
  [/original lines .* were changed or lost/, () => wrong('seed1_modules', (right) => right.replace('# ... other router imports\n', ''))],
  [/statements changed beyond one import and one include/, () => wrong('init_modules_second', (right) => right.replace(/^from app\.api\.v1\.modules\.pet_profile .*\n/m, (line) => line + line))],
  [/import comes after the router's definition/, () => wrong('init_modules_second', (right) => {
    const line = /^from app\.api\.v1\.modules\.pet_profile .*\n/m.exec(right)![0];
    return right.replace(line, '').replace('api_v1_router = APIRouter()\n', (definition) => definition + line);
  })],
  [/line ending other than the file's CRLF/, () => wrong('crlf_bom', (right) => right.replace('smoke_test_router\r\n', 'smoke_test_router\n'))],
  [/BOM was not kept/, () => wrong('crlf_bom', (right) => right.slice(1))],
  [/final newline was not kept/, () => wrong('init_modules_second', (right) => right.trimEnd())],
  [/not valid Python/, () => wrong('init_modules_second', (right) => right.replace('prefix="/pet-profile")', 'prefix="/pet-profile"'))],
  [/unchanged, but the feature is not registered/, () => wrong('init_modules_first', (_, input) => input)],
  [/expected one include of the feature, found 2/, () => wrong('init_modules_second', (right) => right + includeLine(right, 'api_v1_router'))],
];

describe('the aggregator oracle rejects wrong patches', () => {
  it.each(mutants.map(([reason, patch], i) => [i, reason, patch] as const))('mutant %i: %s', async (_, reason, patch) => {
    const mutant = patch();
    const broken = await brokenRules([mutant]);
    expect(broken.length, `the oracle passed a wrong patch of ${mutant.name}`).toBeGreaterThan(0);
    expect(broken.join('\n')).toMatch(reason);
    for (const line of broken) expect(line.startsWith(`${mutant.name}: `)).toBe(true);
  });
});
