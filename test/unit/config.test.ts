import { describe, expect, it } from 'vitest';
import { blueprintFromSection, resolveBlueprint } from '../../src/blueprint/config.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { failure } from '../helpers/errors.js';
import { projectWith } from '../helpers/tmp.js';

const project = projectWith;

describe('blueprintFromSection', () => {
  it('starts from the preset and lets every key override it', () => {
    const blueprint = blueprintFromSection({
      preset: 'layered',
      app: 'petsage.app:api',
      router: 'api',
      api_prefix: '/api/v2',
      paths: { test: 'tests/unit/test_{feature}.py' },
    });
    expect(blueprint).toEqual({
      ...PRESETS.layered,
      app: 'petsage.app:api',
      router: 'api',
      apiPrefix: '/api/v2',
      paths: { ...PRESETS.layered!.paths, test: 'tests/unit/test_{feature}.py' },
    });
  });

  it('lets --preset win over the file, keeping the file\'s other keys', () => {
    const blueprint = blueprintFromSection({ preset: 'layered', router: 'api' }, 'features');
    expect(blueprint.preset).toBe('features');
    expect(blueprint.aggregator).toBe(PRESETS.features!.aggregator);
    expect(blueprint.router).toBe('api');
  });

  it('reports every bad key at once, naming each (exit 2)', () => {
    const error = failure(() =>
      blueprintFromSection({ aggregator: '/etc/api.py', templates: '../shared', colour: 'red', paths: { router: 'x/../{feature}.py', docs: 'd', test: 'tests/test.py' } }),
    );
    expect(error.exitCode).toBe(2);
    expect(error.details).toEqual([
      'tool.petsage.colour: unknown key; allowed keys are preset, source_root, app, api_prefix, aggregator, router, templates, python, paths, db, route_dependencies',
      'tool.petsage.paths.docs: unknown key; allowed keys are schema, service, router, init, readme, test',
      'tool.petsage.templates: must be a normalised path inside the project, without "..", "." or empty segments',
      'tool.petsage.aggregator: must be a relative path inside the project',
      'tool.petsage.paths.router: must be a normalised path inside the project, without "..", "." or empty segments',
      'tool.petsage.paths.test: must contain {feature}, so that each feature gets its own file',
    ]);
  });

  it('refuses an unknown preset, from the file or from --preset', () => {
    expect(failure(() => blueprintFromSection({ preset: 'flat' })).message).toMatch(/^tool\.petsage\.preset: unknown preset "flat"/);
    expect(failure(() => blueprintFromSection({}, 'flat')).message).toMatch(/^--preset: unknown preset "flat"; choose one of modules, layered/);
    // A typo gets the preset it was meant to be.
    expect(failure(() => blueprintFromSection({ preset: 'modls' })).message).toMatch(/^tool\.petsage\.preset: unknown preset "modls"; did you mean "modules"\? The presets are modules, layered/);
  });

  it('detects the router of an aggregator other than the preset\'s, and drops an init away from the router', () => {
    const blueprint = blueprintFromSection({ aggregator: 'app/routes.py', paths: { router: 'app/routes/{feature}.py' } });
    expect(blueprint.router).toBeUndefined();
    expect(blueprint.paths.init).toBeUndefined();
  });
});

describe('resolveBlueprint', () => {
  it('reads [tool.petsage] from pyproject.toml', () => {
    const root = project({ 'pyproject.toml': '[project]\nname = "x"\n\n[tool.petsage]\npreset = "endpoints"\n' });
    expect(resolveBlueprint(root)).toMatchObject({ blueprint: { preset: 'endpoints' }, origin: 'from pyproject.toml [tool.petsage]' });
  });

  it('reads petsage.config.json, with messages that name its keys', () => {
    const root = project({ 'petsage.config.json': '{"preset": "features", "router": "api"}' });
    expect(resolveBlueprint(root)).toMatchObject({ blueprint: { preset: 'features', router: 'api' }, origin: 'from petsage.config.json' });
    const bad = project({ 'petsage.config.json': '{"prefix": "/x"}' });
    expect(failure(() => resolveBlueprint(bad)).details).toEqual([expect.stringMatching(/^prefix: unknown key/)]);
  });

  it('refuses config in two places', () => {
    const root = project({ 'pyproject.toml': '[tool.petsage]\npreset = "modules"\n', 'petsage.config.json': '{}' });
    expect(failure(() => resolveBlueprint(root)).exitCode).toBe(2);
  });

  it('says where --preset came from', () => {
    const root = project({ 'pyproject.toml': '[tool.petsage]\npreset = "modules"\n' });
    expect(resolveBlueprint(root, 'layered')).toMatchObject({ blueprint: { preset: 'layered' }, origin: 'from pyproject.toml [tool.petsage] with --preset layered' });
  });

  it('refuses pyproject.toml that is not TOML', () => {
    const root = project({ 'pyproject.toml': '[tool.petsage\n' });
    expect(failure(() => resolveBlueprint(root)).message).toMatch(/^pyproject\.toml: is not valid TOML/);
  });
});
