import { describe, expect, it } from 'vitest';
import { blueprintFromSection, readConfig } from '../../src/blueprint/config.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { failure } from '../helpers/errors.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/tmp.js';

/** The one problem a section has, as `key: message`; exit 2 asserted. */
function problem(section: Record<string, unknown>): string {
  const error = failure(() => blueprintFromSection(section));
  expect(error.exitCode).toBe(2);
  expect(error.details).toHaveLength(1);
  return error.details[0]!;
}

describe('config values are checked as the code and paths they become (exit 2, naming the key)', () => {
  it.each([
    ['an api_prefix that closes a docstring', { api_prefix: '/api"""\nimport os\n"""' }, 'tool.petsage.api_prefix: must be a URL path'],
    ['an api_prefix without a leading slash', { api_prefix: 'api/v1' }, 'tool.petsage.api_prefix: must be a URL path'],
    ['an api_prefix with a dot-dot segment', { api_prefix: '/api/..' }, 'tool.petsage.api_prefix: must be a URL path'],
    ['an app with a newline', { app: 'app.main:app\nimport os' }, 'tool.petsage.app: must be "dotted.module:variable"'],
    ['an app with no variable', { app: 'app.main' }, 'tool.petsage.app: must be "dotted.module:variable"'],
    ['an app that is a keyword', { app: 'app.class:app' }, 'tool.petsage.app: must be "dotted.module:variable"'],
    ['a router that is not a name', { router: 'api-router' }, 'tool.petsage.router: must be a Python variable name'],
    ['a path with a dash in a package', { paths: { router: 'app/my-modules/{feature}/router.py' } }, 'tool.petsage.paths.router: "my-modules" is not a valid Python package'],
    ['a directory named x.py', { paths: { schema: 'app/x.py/{feature}.py' } }, 'tool.petsage.paths.schema: "x.py" is not a valid Python package'],
    ['a backslash', { paths: { test: 'tests\\test_{feature}.py' } }, 'tool.petsage.paths.test: must use forward slashes'],
    ['an absolute path', { paths: { test: '/tmp/test_{feature}.py' } }, 'tool.petsage.paths.test: must be a relative path'],
    ['a Python artifact that is not .py', { paths: { service: 'app/{feature}/service.txt' } }, 'tool.petsage.paths.service: must be a Python file ending in .py'],
    ['a readme that is not Markdown', { paths: { readme: 'app/api/v1/modules/{feature}/__init__.py' } }, 'tool.petsage.paths.readme: must be a Markdown file'],
    ['a test at the record path', { paths: { test: '.petsage/features/{feature}.py' } }, 'tool.petsage.paths.test: must not lie under .petsage/'],
    ['an init that is not __init__.py', { paths: { init: 'app/api/v1/modules/{feature}/init.py' } }, 'tool.petsage.paths.init: must be an __init__.py'],
    ['two artifacts at one path', { paths: { service: 'app/api/v1/modules/{feature}/schemas.py' } }, 'tool.petsage.paths.service: is the same path as paths.schema'],
    ['a stray brace', { paths: { test: 'tests/test_{feature}{x}.py' } }, 'tool.petsage.paths.test: "{" and "}" may only appear in {feature}'],
    ['an aggregator that is not Python', { aggregator: 'app/api.txt' }, 'tool.petsage.aggregator: must be a Python file'],
    ['templates in the records folder', { templates: '.petsage/features' }, 'tool.petsage.templates: must not be .petsage/features'],
    ['a python command with a space', { python: 'python3 -c evil' }, 'tool.petsage.python: must be a command or path without spaces'],
  ])('%s', (_, section, expected) => {
    expect(problem(section)).toContain(expected);
  });

  it('source_root "src" with module paths outside src', () => {
    const error = failure(() => blueprintFromSection({ preset: 'modules', source_root: 'src' }));
    expect(error.exitCode).toBe(2);
    expect(error.details).toContain('tool.petsage.aggregator: must lie under source_root "src"');
    expect(error.details).toContain('tool.petsage.paths.router: must lie under source_root "src", the import root of the generated modules');
  });

  it('every preset passes its own rules', () => {
    for (const name of Object.keys(PRESETS)) expect(blueprintFromSection({ preset: name }).preset).toBe(name);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('a preset named %s is an unknown preset (exit 2), never exit 1', (name) => {
    expect(failure(() => blueprintFromSection({ preset: name })).message).toContain(`unknown preset "${name}"`);
    expect(failure(() => blueprintFromSection({}, name)).exitCode).toBe(2);
  });

  it.each(['constructor', '__proto__', 'toString'])('a config key %s is an unknown key', (key) => {
    expect(problem({ [key]: 'x' })).toMatch(new RegExp(`^tool\\.petsage\\.${key.replace(/_/g, '_')}: unknown key`));
  });

  it('suggests the key a typo meant', () => {
    expect(problem({ api_prefx: '/x' })).toBe('tool.petsage.api_prefx: unknown key; did you mean "api_prefix"?');
    expect(problem({ paths: { tests: 'tests/test_{feature}.py' } })).toBe('tool.petsage.paths.tests: unknown key; did you mean "test"?');
  });

  it('refuses __proto__ and duplicate keys in petsage.config.json', () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'petsage.config.json'), '{"preset": "modules", "preset": "layered", "__proto__": {"app": "os:system"}}');
    const error = failure(() => readConfig(root));
    expect(error.exitCode).toBe(2);
    expect(error.details).toEqual(['preset: appears twice; keep one', '__proto__: the key "__proto__" is not allowed']);
  });

  it('refuses a pyproject.toml that is a link out of the project (exit 3)', async () => {
    const root = tempDir();
    const { symlinkSync } = await import('node:fs');
    mkdirSync(path.join(root, 'p'));
    writeFileSync(path.join(root, 'outside.toml'), '[tool.petsage]\npreset = "modules"\n');
    symlinkSync(path.join(root, 'outside.toml'), path.join(root, 'p', 'pyproject.toml'));
    expect(failure(() => readConfig(path.join(root, 'p'))).exitCode).toBe(3);
  });
});

describe('the presets', () => {
  it('each passes the rules a config must pass, so a preset used as it is needs no checks at run time', async () => {
    const { blueprintProblems } = await import('../../src/blueprint/validate.js');
    for (const preset of Object.values(PRESETS)) expect(blueprintProblems(preset, (key) => key)).toEqual([]);
  });
});
