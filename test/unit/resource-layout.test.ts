import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { failure } from '../helpers/errors.js';
import { fixture } from '../helpers/paths.js';

const households = validatePayload(JSON.parse(readFileSync(fixture('resources/reference/households.json'), 'utf8')), 'households.json');

describe("a resource's files and the layout's", () => {
  it("are planned in the preset's packages, as init writes them, and with the feature's files moved within them", () => {
    for (const preset of ['modules', 'layered', 'features', 'endpoints', 'src-features']) expect(planFeature(households, PRESETS[preset]!).files.length).toBeGreaterThan(5);
    const endpoints = PRESETS.endpoints!;
    expect(planFeature(households, { ...endpoints, paths: { ...endpoints.paths, router: 'app/api/routes/{feature}.py' } }).files.map((file) => file.path)).toContain('app/tables/households.py');
  });

  it('refuse a resource (exit 2, naming the block) when the config moved the feature into another package than the preset keeps resources in', () => {
    const modules = PRESETS.modules!;
    const moved = { ...modules, paths: { ...modules.paths, router: 'src/app/api/{feature}/router.py', init: 'src/app/api/{feature}/__init__.py' } };
    const error = failure(() => planFeature(households, moved));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`resource: the layout puts the feature's files in the package src, and a resource's model, repository and dependencies would go to app/api/v1/modules/<feature>/models.py, the "modules" preset's, which this backend does not have.`);
  });
});
