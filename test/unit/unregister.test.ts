/**
 * remove takes a registration out by its structure when the project's formatter rewrapped or
 * joined it, and refuses (rather than leave an import of a deleted module) what it cannot take
 * out cleanly. Pure functions on hand-written aggregators, no Python.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { analyse, patchAggregator } from '../../src/python/aggregator.js';
import { removeRegistration } from '../../src/python/registration.js';
import { removeStructurally } from '../../src/python/unregister.js';
import { loadAggregatorCases } from '../helpers/aggregator-cases.js';

const editFor = (preset: string, feature = 'pets') => planFeature(validatePayload({ feature, description: 'x' }, feature), PRESETS[preset]!).aggregator;
const modules = { ...editFor('modules'), routerVar: 'api_v1_router' };
const endpoints = { ...editFor('endpoints'), routerVar: 'api_v1_router' };
const structurally = (source: string, edit = modules) => removeStructurally(analyse(source, edit), edit);

const HEAD = '"""The API."""\n\nfrom fastapi import APIRouter\n\n';

describe('removeStructurally finds the registration however it is laid out', () => {
  it.each([
    [
      'the import and the include wrapped, as ruff lays them out at a short line length',
      `${HEAD}from app.api.v1.modules.pets import (\n    router as pets_router,\n)\n\napi_v1_router = APIRouter()\n\napi_v1_router.include_router(\n    pets_router,\n    prefix="/pets",\n)\n`,
    ],
    ['joined on one line each, with another prefix', `${HEAD}from app.api.v1.modules.pets import router as pets_router\n\napi_v1_router = APIRouter()\n\napi_v1_router.include_router(pets_router, prefix="/animals")\n`],
    [
      'under its title comment, the import moved by isort among others',
      `${HEAD}from app.api.v1.modules.owners import router as owners_router\nfrom app.api.v1.modules.pets import router as pets_router\n\napi_v1_router = APIRouter()\n\n# Owners\napi_v1_router.include_router(owners_router, prefix="/owners")\n# Pets\napi_v1_router.include_router(pets_router, prefix="/pets")\n`,
    ],
  ])('%s', (_, source) => {
    const removal = structurally(source);
    expect(removal.ok).toBe(true);
    if (!removal.ok) return;
    expect(removal.text).not.toMatch(/pets/i);
    expect(removal.text.startsWith(HEAD)).toBe(true);
    expect(removal.text).not.toMatch(/\n\n\n|\n\n$/);
  });

  it.each([
    ['one line', 'from app.api.v1.endpoints import items, pets, users\n', 'from app.api.v1.endpoints import items, users\n'],
    ['last on one line', 'from app.api.v1.endpoints import items, pets\n', 'from app.api.v1.endpoints import items\n'],
    ['one per line with a trailing comma', 'from app.api.v1.endpoints import (\n    items,\n    pets,\n    users,\n)\n', 'from app.api.v1.endpoints import (\n    items,\n    users,\n)\n'],
    ['one per line, last without a comma', 'from app.api.v1.endpoints import (\n    items,\n    pets\n)\n', 'from app.api.v1.endpoints import (\n    items,\n)\n'],
  ])('its one name out of a module list: %s', (_, imports, left) => {
    const includes = (names: string[]) => names.map((name) => `api_v1_router.include_router(${name}.router, prefix="/${name}")\n`).join('');
    const source = `${HEAD}${imports}\napi_v1_router = APIRouter()\n${includes(imports.includes('users') ? ['items', 'pets', 'users'] : ['items', 'pets'])}`;
    expect(structurally(source, endpoints)).toEqual({ ok: true, text: `${HEAD}${left}\napi_v1_router = APIRouter()\n${includes(left.includes('users') ? ['items', 'users'] : ['items'])}` });
  });

  it('nothing of it left (taken out by hand) is nothing to do', () => {
    const source = `${HEAD}api_v1_router = APIRouter()\n`;
    expect(structurally(source)).toEqual({ ok: true, text: source });
  });
});

describe('removeStructurally refuses what it cannot take out cleanly', () => {
  it.each([
    ['an include inside a block', 'if settings.PETS:\n    api_v1_router.include_router(pets_router, prefix="/pets")\n', '`api_v1_router.include_router(pets_router, prefix="/pets")` would still use pets_router, which names app.api.v1.modules.pets'],
    ['a use elsewhere', 'ROUTERS = [pets_router]\n', '`ROUTERS = [pets_router]` would still use pets_router, which names app.api.v1.modules.pets'],
    ['an import inside a function', 'def late():\n    from app.api.v1.modules.pets import router\n', '`from app.api.v1.modules.pets import router` would still import app.api.v1.modules.pets'],
  ])('%s', (_, extra, problem) => {
    const source = `${HEAD}from app.api.v1.modules.pets import router as pets_router\n\napi_v1_router = APIRouter()\n${extra}`;
    expect(structurally(source)).toEqual({ ok: false, problems: [problem] });
  });

  it('removeRegistration says so as unclean, naming the aggregator, even when the recorded pieces are all there', () => {
    const base = `${HEAD}api_v1_router = APIRouter()\n`;
    const patch = patchAggregator(base, modules);
    const guarded = `${patch.text}if DEBUG:\n    api_v1_router.include_router(pets_router, prefix="/debug-pets")\n`;
    expect(removeRegistration(guarded, patch.added, modules)).toEqual({
      ok: false,
      reason: 'unclean',
      problems: [{ path: 'app/api/v1/api.py', message: '`api_v1_router.include_router(pets_router, prefix="/debug-pets")` would still use pets_router, which names app.api.v1.modules.pets' }],
    });
  });
});

// Every aggregator of the corpus, patched, then its include rewrapped one argument per line as a
// formatter would: the recorded pieces are no longer there, and the structure gives back the input.
const patching = loadAggregatorCases().filter((corpusCase) => corpusCase.error === undefined && corpusCase.expected !== corpusCase.input);

describe('the corpus, rewrapped after patching, comes back to its input', () => {
  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s', (_, { input, edit }) => {
    const patch = patchAggregator(input, edit);
    const registered = { ...edit, routerVar: patch.routerVar };
    let rewrapped = patch.text;
    for (const piece of patch.added) {
      const call = /^([ \t]*)(\w+)\.include_router\((.*)\)$/s.exec(piece.text.trim().replace(/^# .*\r?\n/, ''));
      if (!call) continue;
      const [, indent, owner, args] = call;
      const eol = piece.text.includes('\r\n') ? '\r\n' : '\n';
      const wrapped = `${indent}${owner}.include_router(${eol}${args!.split(/,\s*/).map((arg) => `${indent}    ${arg.trim()},${eol}`).join('')}${indent})`;
      rewrapped = rewrapped.replace(call[0], wrapped);
    }
    expect(rewrapped).not.toBe(patch.text);
    const removal = removeRegistration(rewrapped, patch.added, registered);
    expect(removal).toMatchObject({ ok: true, structural: true });
    // A blank line the patch put after an include (before a composition) is not known to be its
    // own without the pieces: that one may stay. Every other byte comes back.
    const blankAfter = patch.added.some((piece) => /\S\r?\n\r?\n$/.test(piece.text));
    const text = removal.ok ? removal.text : '';
    const withoutBlankLines = (source: string) => source.replace(/(\r?\n)(\r?\n)+/g, '$1');
    if (blankAfter) expect(withoutBlankLines(text)).toBe(withoutBlankLines(input));
    else expect(text).toBe(input);
  });
});
