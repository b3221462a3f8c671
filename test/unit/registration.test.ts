import { describe, expect, it } from 'vitest';
import { patchAggregator, patchAggregatorMany } from '../../src/python/aggregator.js';
import { removeRegistration } from '../../src/python/registration.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { loadAggregatorCases } from '../helpers/aggregator-cases.js';

// Cases whose file is already registered add nothing, so there is nothing to take out.
const patching = loadAggregatorCases().filter((corpusCase) => corpusCase.error === undefined && corpusCase.expected !== corpusCase.input);

describe('removeRegistration accepts exactly what a patch added', () => {
  it.each(patching.map((corpusCase) => [corpusCase.name, corpusCase] as const))('%s', (_, { input, edit }) => {
    const patch = patchAggregator(input, edit);
    expect(patch.changed).toBe(true);
    const removal = removeRegistration(patch.text, patch.added, { ...edit, routerVar: patch.routerVar });
    expect(removal).toEqual({ ok: true, text: input, structural: false });
  });

  it('one feature of a batch, leaving the others registered', () => {
    const base = "from fastapi import APIRouter\n\napi_v1_router = APIRouter()\n";
    const edits = ['alpha', 'beta', 'gamma'].map((feature) => planFeature(validatePayload({ feature, description: 'x' }, feature), PRESETS.modules!).aggregator);
    const patch = patchAggregatorMany(base, edits);
    const removal = removeRegistration(patch.text, patch.features[1]!.added, { ...edits[1]!, routerVar: patch.routerVar });
    expect(removal.ok).toBe(true);
    if (removal.ok) {
      expect(removal.text).not.toContain('beta');
      expect(removal.text).toContain('alpha_router');
      expect(removal.text).toContain('gamma_router');
    }
  });
});

describe('removeRegistration refuses anything else (a tampered record)', () => {
  const edit = planFeature(validatePayload({ feature: 'pets', description: 'x' }, 'pets'), PRESETS.modules!).aggregator;
  const base = 'from fastapi import APIRouter, Depends\n\nfrom app.core import auth\n\napi_v1_router = APIRouter(dependencies=[Depends(auth.check)])\n';
  const patch = patchAggregator(base, edit);
  const registered = { ...edit, routerVar: patch.routerVar };
  const piece = (text: string) => ({ offset: patch.text.indexOf(text), text });

  it.each([
    ['the router definition', [piece('api_v1_router = APIRouter(dependencies=[Depends(auth.check)])\n')]],
    ['another import', [piece('from app.core import auth\n')]],
    ['a name from an import', [piece(', Depends')]],
    ['a comment that is not the title', [{ offset: 0, text: '# Security check\n' }]],
    ['its own registration plus the auth import', [...patch.added, piece('from app.core import auth\n')]],
  ])('%s', (_, added) => {
    const removal = removeRegistration(patch.text, added, registered);
    expect(removal.ok).toBe(false);
    if (!removal.ok) expect(removal.reason).toBe('foreign');
  });

  it('the registration of another feature', () => {
    const other = planFeature(validatePayload({ feature: 'owners', description: 'x' }, 'owners'), PRESETS.modules!).aggregator;
    const both = patchAggregator(patch.text, other);
    const removal = removeRegistration(both.text, both.added, registered);
    expect(removal).toMatchObject({ ok: false, reason: 'foreign' });
  });

  it('pieces no longer in the file are an edit, not tampering: the registration is then found by its structure', () => {
    const edited = patch.text.replace('prefix="/pets"', 'prefix="/animals"');
    expect(removeRegistration(edited, patch.added, registered)).toEqual({ ok: true, text: base, structural: true });
  });
});
