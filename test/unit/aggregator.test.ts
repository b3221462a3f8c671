import { describe, expect, it } from 'vitest';
import { failure } from '../helpers/errors.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { patchAggregator, patchAggregatorMany, unpatchAggregator, type AggregatorEdit } from '../../src/python/aggregator.js';
import { loadAggregatorCases } from '../helpers/aggregator-cases.js';
import { removeRegistration } from '../../src/python/registration.js';

const cases = loadAggregatorCases();
const patching = cases.filter((corpusCase) => corpusCase.error === undefined);

describe('patchAggregator on the corpus', () => {
  it('has at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s gives the expected file', (_, { input, expected, edit }) => {
    const result = patchAggregator(input, edit);
    expect(result.text).toBe(expected);
    expect(result.changed).toBe(input !== expected);
  });

  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s is idempotent', (_, { expected, edit }) => {
    const again = patchAggregator(expected!, edit);
    expect(again.text).toBe(expected);
    expect(again.changed).toBe(false);
  });

  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s keeps every original line, in order', (_, { input, expected, feature }) => {
    // A module list that gained the feature's name is the one line allowed to change, and only so.
    const joined = (line: string) => line.replace(`${feature}, `, '').replace(`, ${feature}`, '');
    const result = expected!.split(/\r?\n/);
    let cursor = 0;
    for (const line of input.split(/\r?\n/)) {
      const found = result.findIndex((candidate, i) => i >= cursor && (candidate === line || (candidate !== line && joined(candidate) === line)));
      expect(found, `line ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
      cursor = found;
    }
  });

  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s unpatches to the original bytes', (_, { input, edit }) => {
    const { text, added } = patchAggregator(input, edit);
    expect(unpatchAggregator(text, added, edit.file).text).toBe(input);
  });

  it.each(cases.filter((corpusCase) => corpusCase.error !== undefined).map((corpusCase) => [corpusCase.name, corpusCase] as const))(
    '%s is refused with exit 3',
    (_, { input, edit, error }) => {
      const caught = failure(() => patchAggregator(input, edit));
      expect(caught.exitCode).toBe(3);
      expect(caught.message).toContain(error);
    },
  );
});

const edit: AggregatorEdit = {
  file: 'api.py',
  routerVar: 'api_v1_router',
  routerModule: 'app.api.v1.modules.pet_profile',
  aggregatorPackage: 'app.api.v1',
  alias: 'pet_profile_router',
  segment: '/pet-profile',
  apiPrefix: '/api/v1',
  comment: 'Pet Profile',
};

const patchFailure = (source: string) => failure(() => patchAggregator(source, edit));

describe('patchAggregator structure', () => {
  it('is not fooled by include_router in strings, comments or nested blocks', () => {
    const source = [
      'from fastapi import APIRouter',
      'from app.items import router as items_router',
      '',
      'api_v1_router = APIRouter()',
      'api_v1_router.include_router(items_router, prefix="/items")',
      'NOTE = """',
      'api_v1_router.include_router(fake_router)',
      '"""',
      '# api_v1_router.include_router(commented_router)',
      'if DEBUG:',
      '    api_v1_router.include_router(debug_router, prefix="/debug")',
      '',
    ].join('\n');
    const lines = patchAggregator(source, edit).text.split('\n');
    expect(lines.indexOf('api_v1_router.include_router(pet_profile_router, prefix="/pet-profile")')).toBe(
      lines.indexOf('api_v1_router.include_router(items_router, prefix="/items")') + 1,
    );
    // Sorted before app.items, as ruff's isort rule wants.
    expect(lines.indexOf('from app.api.v1.modules.pet_profile import router as pet_profile_router')).toBe(1);
  });

  it('inserts after a wrapped include, never inside it', () => {
    const source = 'from fastapi import APIRouter\nfrom x import router as x_router\n\napi_v1_router = APIRouter()\napi_v1_router.include_router(\n    x_router,\n    prefix="/x",\n)\n';
    // In the shape of its wrapped sibling.
    expect(patchAggregator(source, edit).text.endsWith(')\napi_v1_router.include_router(\n    pet_profile_router,\n    prefix="/pet-profile",\n)\n')).toBe(true);
  });

  it('accepts an annotated router assignment', () => {
    const source = 'from fastapi import APIRouter\n\napi_v1_router: APIRouter = APIRouter()\n';
    expect(patchAggregator(source, edit).changed).toBe(true);
  });

  it('refuses a file without the router variable (exit 3), naming the file and the config key', () => {
    const error = patchFailure('from fastapi import APIRouter\n\nrouter = APIRouter()\n');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('api.py');
    expect(error.message).toContain('api_v1_router');
    expect(error.details.join('\n')).toContain('[tool.petsage]');
  });

  it('refuses a prefix another router already mounts (exit 3), naming the line', () => {
    const error = patchFailure('from fastapi import APIRouter\nfrom old import router as old_router\n\napi_v1_router = APIRouter()\napi_v1_router.include_router(old_router, prefix="/pet-profile")\n');
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^api\.py:5: `old_router` is already mounted at "\/pet-profile"/);
  });

  it('reuses an existing import of the feature router when only the include is missing', () => {
    const source = 'from fastapi import APIRouter\nfrom app.api.v1.modules.pet_profile import router as profiles\n\napi_v1_router = APIRouter()\n';
    const result = patchAggregator(source, edit).text;
    expect(result).toContain('api_v1_router.include_router(profiles, prefix="/pet-profile")');
    expect(result.match(/import router/g)).toHaveLength(1);
  });
});

describe('patchAggregator import placement', () => {
  const base = (imports: string) => `from fastapi import APIRouter\n\n${imports}\napi_v1_router = APIRouter()\n`;

  it('takes its sorted place among sorted imports of the same package', () => {
    const source = base('from app.a import router as a_router\nfrom app.z import router as z_router\n');
    expect(patchAggregator(source, edit).text).toContain(
      'from app.a import router as a_router\nfrom app.api.v1.modules.pet_profile import router as pet_profile_router\nfrom app.z import router as z_router\n',
    );
  });

  it('follows the last router import when the block is not sorted', () => {
    const source = `${base('from app.z import router as z_router\nfrom app.a import router as a_router\n')}api_v1_router.include_router(z_router)\napi_v1_router.include_router(a_router)\n`;
    expect(patchAggregator(source, edit).text).toContain(
      'from app.a import router as a_router\nfrom app.api.v1.modules.pet_profile import router as pet_profile_router\n',
    );
  });
});

describe('patchAggregator without any import before the router', () => {
  it('puts the import above the router definition, followed by a blank line', () => {
    const source = 'api_v1_router = make_router()\n';
    expect(patchAggregator(source, edit).text).toBe(
      'from app.api.v1.modules.pet_profile import router as pet_profile_router\n\napi_v1_router = make_router()\n\napi_v1_router.include_router(pet_profile_router, prefix="/pet-profile")\n',
    );
  });
});

describe('patchAggregator reads keyword arguments', () => {
  it('sees a registration passed as router=', () => {
    const source = 'from fastapi import APIRouter\nfrom app.api.v1.modules import pet_profile\n\napi_v1_router = APIRouter()\napi_v1_router.include_router(router=pet_profile.router, prefix="/pets")\n';
    expect(patchAggregator(source, edit).changed).toBe(false);
  });
});

function removedText(...args: Parameters<typeof removeRegistration>): string {
  const removal = removeRegistration(...args);
  if (!removal.ok) throw new Error(JSON.stringify(removal.problems));
  return removal.text;
}

describe('patchAggregatorMany', () => {
  const extra = ['aaa_first', 'mmm_middle', 'zzz_last'];
  const editFor = (corpusCase: (typeof cases)[number], feature: string) =>
    planFeature(validatePayload({ feature, description: 'x' }, 'test'), corpusCase.blueprint).aggregator;

  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s: one batch patch equals patching one by one', (_, corpusCase) => {
    const edits = [corpusCase.edit, ...extra.map((feature) => editFor(corpusCase, feature))];
    const oneByOne = edits.reduce((text, edit) => patchAggregator(text, edit).text, corpusCase.input);
    const batch = patchAggregatorMany(corpusCase.input, edits);
    expect(batch.text).toBe(oneByOne);
    // Each feature's own additions come out again, leaving the others'; a blank line shared by a
    // group of insertions belongs to one of them and may go with it. A module list the batch made
    // too long is wrapped (module-list.test.ts): its shape may differ from the others' alone, and
    // the feature that wrapped it comes out by the real removal, which unwraps what fits again.
    const blankless = (text: string) => text.replace(/(\r?\n)\s*\r?\n/g, '$1').replace(/import \(\s*([^)]*?),?\s*\)/g, (_, names: string) => `import ${names.split(/,\s*/).join(', ')}`);
    for (const [i, feature] of batch.features.entries()) {
      const wrapper = feature.added.some((piece) => piece.text.startsWith('('));
      const without = wrapper ? removedText(batch.text, feature.added, { ...edits[i]!, routerVar: batch.routerVar }) : unpatchAggregator(batch.text, feature.added, 'api.py').text;
      const others = edits.filter((_, j) => j !== i).reduce((text, edit) => patchAggregator(text, edit).text, corpusCase.input);
      expect(blankless(without)).toBe(blankless(others));
    }
  });
});

