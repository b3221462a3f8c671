/**
 * Ownership in `check`: a registration is compared as structure (reformatted is fine; another
 * prefix or an argument the patch did not write is not), and a file edited by hand is the
 * user's, drift only under --strict. Pure functions, no Python.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { analyse, patchAggregator } from '../../src/python/aggregator.js';
import { mountProblem } from '../../src/python/mount.js';
import type { FeatureDrift } from '../../src/record/drift.js';
import type { FileState } from '../../src/record/report.js';
import { closingLine, isDrift, verdictOf } from '../../src/record/verdict.js';
import { hasConflictMarkers, MARKERS } from '../../src/record/merge.js';
import { recordedFile } from '../../src/record/ownership.js';
import { Content } from '../../src/commit/content.js';

const edit = planFeature(validatePayload({ feature: 'pets', description: 'x' }, 'pets'), PRESETS.modules!).aggregator;
const base = 'from fastapi import APIRouter\n\napi_v1_router = APIRouter()\n';
const registered = patchAggregator(base, edit).text;
const problemIn = (source: string, routerVar = 'api_v1_router') => mountProblem(analyse(source, edit), edit, routerVar);

describe('mountProblem: structure, not bytes', () => {
  it('the registration as generated mounts the feature', () => {
    expect(registered).toContain('api_v1_router.include_router(pets_router, prefix="/pets")');
    expect(problemIn(registered)).toBeUndefined();
  });

  it.each([
    ['wrapped with a trailing comma', registered.replace('include_router(pets_router, prefix="/pets")', 'include_router(\n    pets_router,\n    prefix="/pets",\n)')],
    ['the import wrapped in brackets', registered.replace('from app.api.v1.modules.pets import router as pets_router', 'from app.api.v1.modules.pets import (\n    router as pets_router,\n)')],
    ['joined into a module list', 'from fastapi import APIRouter\n\nfrom app.api.v1.modules import items, pets\n\napi_v1_router = APIRouter()\napi_v1_router.include_router(items.router, prefix="/items")\napi_v1_router.include_router(pets.router, prefix="/pets")\n'],
    ['the router passed by keyword, single quotes', registered.replace('include_router(pets_router, prefix="/pets")', "include_router(router=pets_router, prefix='/pets')")],
  ])('%s still mounts it', (_, source) => {
    expect(source).not.toBe(registered);
    expect(problemIn(source)).toBeUndefined();
  });

  it.each([
    ['another prefix', 'prefix="/animals"', 'mounts the feature at "/animals", not at "/pets"'],
    ['include_in_schema=False', 'prefix="/pets", include_in_schema=False', 'mounts the feature with include_in_schema=False, which its generated code and tests do not expect'],
    ['a dependency', 'prefix="/pets", dependencies=[auth]', 'mounts the feature with dependencies=[auth]'],
    ['an unpacking', 'prefix="/pets", **extra', 'mounts the feature with **extra'],
    ['no prefix', 'tags=["pets"]', 'does not mount the feature with prefix="/pets"'],
    ['a prefix that is not a string literal', 'prefix=PETS', 'does not mount the feature with prefix="/pets"'],
  ])('%s does not', (_, args, message) => {
    expect(problemIn(registered.replace('prefix="/pets"', args))).toContain(message);
  });

  it('a lost include, or one moved into a block, no longer registers it', () => {
    expect(problemIn(registered.replace(/^api_v1_router\.include_router.*\n/m, ''))).toBe('no longer registers the feature');
    expect(problemIn(registered.replace('api_v1_router.include_router', 'if True:\n    api_v1_router.include_router'))).toBe('no longer registers the feature');
  });

  it('one include as generated is enough, beside another mount', () => {
    expect(problemIn(`${registered}api_v1_router.include_router(pets_router, prefix="/legacy-pets", include_in_schema=False)\n`)).toBeUndefined();
  });

  it('on the app, the prefix is the whole URL', () => {
    const onApp = planFeature(validatePayload({ feature: 'pets', description: 'x' }, 'pets'), PRESETS.features!).aggregator;
    const source = patchAggregator('from fastapi import FastAPI\n\napp = FastAPI()\n', onApp).text;
    expect(source).toContain('prefix="/api/v1/pets"');
    expect(mountProblem(analyse(source, onApp), onApp, 'app')).toBeUndefined();
    expect(mountProblem(analyse(source.replace('"/api/v1/pets"', '"/pets"'), onApp), onApp, 'app')).toBe('mounts the feature at "/pets", not at "/api/v1/pets"');
  });
});

/** A feature's drift with files in the given states. */
const drift = (states: FileState[], extra: Partial<FeatureDrift> = {}): FeatureDrift =>
  ({ feature: 'pets', plan: undefined as never, files: states.map((state, i) => ({ path: `f${i}.py`, state, fresh: '' })), ...extra }) as FeatureDrift;

describe('verdictOf: what counts towards exit 5', () => {
  it.each([
    [['current', 'current'], false, 'current', false],
    [['current', 'edited'], false, 'edited', false],
    [['current', 'edited'], true, 'edited', true],
    [['edited', 'outdated'], false, 'outdated', true],
    [['outdated', 'missing'], false, 'missing', true],
  ] as const)('%j, strict %s: %s, drift %s', (states, strict, state, isDrift) => {
    expect(verdictOf(drift([...states]), 'api.py', strict)).toEqual({ state, drift: isDrift, problems: [] });
  });

  it('a registration problem is drift, named with its file, even when every file is current', () => {
    expect(verdictOf(drift(['current'], { registration: 'no longer registers the feature' }), 'app/api/v1/api.py', false)).toEqual({
      state: 'unregistered',
      drift: true,
      problems: [{ path: 'app/api/v1/api.py', message: 'no longer registers the feature' }],
    });
    expect(verdictOf(drift(['edited'], { unregisteredModel: 'app/db/tables.py' }), 'api.py', false)).toMatchObject({ state: 'unregistered', drift: true, problems: [{ path: 'app/db/tables.py' }] });
  });
});

describe('closingLine: what to do, never --force for an edit', () => {
  const none = { conflicted: 0, missing: 0, outdated: 0, edited: 0, unregistered: 0, behind: 0, restyled: 0, toMerge: 0 };
  it.each([
    [none, false, 'Every recorded feature is current.'],
    [{ ...none, edited: 2 }, false, 'No drift: 2 files edited by hand are yours and not compared (check --strict compares them too).'],
    [{ ...none, edited: 1, toMerge: 1 }, false, 'No drift: 1 file edited by hand is yours and not compared (check --strict compares them too); the templates or the payload changed for it since, which `petsage-build update` merges in.'],
    [{ ...none, edited: 3, toMerge: 3 }, false, 'No drift: 3 files edited by hand are yours and not compared (check --strict compares them too); the templates or the payload changed for them since, which `petsage-build update` merges in.'],
    [{ ...none, edited: 3, toMerge: 2 }, false, 'No drift: 3 files edited by hand are yours and not compared (check --strict compares them too); the templates or the payload changed for 2 of them since, which `petsage-build update` merges in.'],
    [{ ...none, outdated: 1 }, false, 'Drift found: re-render outdated files with `petsage-build update`.'],
    [{ ...none, edited: 1 }, true, 'Drift found: 1 file edited by hand is yours: keep the edits (check without --strict accepts them), or restore the files from version control.'],
    [{ ...none, conflicted: 1, edited: 1 }, false, 'Drift found: resolve the conflict markers left in 1 file.'],
    [{ ...none, behind: 1 }, false, 'Drift found: re-render 1 resource generated for another version of one it refers to with `petsage-build update`.'],
    [{ ...none, behind: 2 }, false, 'Drift found: re-render 2 resources generated for another version of one they refer to with `petsage-build update`.'],
    [{ ...none, restyled: 1 }, false, 'Drift found: lay out 1 feature generated for other ruff settings anew with `petsage-build update`.'],
  ])('%j, strict %s', (tally, strict, line) => {
    expect(closingLine(tally, strict)).toBe(line);
  });

  it('names a step for each kind of drift, and --force for none', () => {
    const line = closingLine({ conflicted: 1, missing: 1, outdated: 1, edited: 1, unregistered: 1, behind: 1, restyled: 1, toMerge: 1 }, true);
    expect(line).toMatch(/conflict markers.*update.*another version.*other ruff settings.*restore missing files.*registration.*edited by hand/);
    expect(line).not.toContain('--force');
  });
});

describe('a file still holding conflict markers', () => {
  const marked = (eol: string, ours: string = MARKERS.ours, theirs: string = MARKERS.theirs) => Buffer.from(['x = 1', ours, 'y = 1', MARKERS.separator, 'y = 2', theirs, ''].join(eol));

  it("is found with LF and CRLF line ends, update's markers and git's, and only when both markers are whole lines", () => {
    expect(hasConflictMarkers(marked('\n'))).toBe(true);
    expect(hasConflictMarkers(marked('\r\n'))).toBe(true);
    // What git leaves when a merge of the backend's history conflicts in a generated file.
    expect(hasConflictMarkers(marked('\n', '<<<<<<< HEAD', '>>>>>>> feature/pets'))).toBe(true);
    expect(hasConflictMarkers(marked('\r\n', '<<<<<<<', '>>>>>>>'))).toBe(true);
    expect(hasConflictMarkers(Buffer.from(`x = "${MARKERS.ours}"\n${MARKERS.theirs}\n`))).toBe(false);
    expect(hasConflictMarkers(Buffer.from(`${MARKERS.ours}\nonly one side\n`))).toBe(false);
    expect(hasConflictMarkers(marked('\n', '<<<<<<<< eight', '>>>>>>>> eight'))).toBe(false);
    expect(hasConflictMarkers(marked('\n', '    <<<<<<< indented', '>>>>>>> b'))).toBe(false);
  });

  it('is drift even without --strict, and the feature is reported by it', () => {
    expect(isDrift('conflicted', false)).toBe(true);
    expect(verdictOf(drift(['edited', 'conflicted']), 'api.py', false)).toMatchObject({ state: 'conflicted', drift: true });
  });
});

describe('recordedFile', () => {
  it('takes its hash when the record is made, and is kept in the record as its path and hash only', () => {
    let made = 0;
    const file = recordedFile('app/x.py', Content.onDemand(() => ((made += 1), 'x = 1\n')));
    expect(made).toBe(0);
    expect(JSON.parse(JSON.stringify(file))).toEqual({ path: 'app/x.py', sha256: createHash('sha256').update('x = 1\n').digest('hex') });
    expect(made).toBe(1);
  });
});
