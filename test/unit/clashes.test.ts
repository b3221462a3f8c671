import { describe, expect, it } from 'vitest';
import { PRESETS, type Blueprint } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { assertNoClashes, findClashes, importsByPath, pytestAddopts, type ClashInput } from '../../src/plan/clashes.js';
import { planFeature, type Plan } from '../../src/plan/plan.js';
import { analyse, registrationName, routerOf, topLevelBindings } from '../../src/python/aggregator.js';
import { failure } from '../helpers/errors.js';

const plan = (feature: string, blueprint: Blueprint = PRESETS.modules!) => planFeature(validatePayload({ feature, description: 'x' }, feature), blueprint);

/** The aggregator `init` writes for the default layout. */
const INIT_API = '"""Version 1 of the API."""\n\nfrom fastapi import APIRouter\n\napi_v1_router = APIRouter()\n';

interface Target {
  recorded?: readonly Plan[];
  aggregator?: string;
  present?: readonly string[];
  packages?: readonly string[];
  importlib?: () => boolean;
}

/** The check's input for a batch against a target, the aggregator's names read as the run reads them. */
function input(batch: readonly Plan[], target: Target = {}): ClashInput {
  const source = target.aggregator ?? INIT_API;
  const edit = batch[0]!.aggregator;
  const file = analyse(source, edit);
  const routerVar = routerOf(file, edit);
  const names = new Map([...topLevelBindings(file, edit.aggregatorPackage)].map(([name, { dotted, line }]) => [name, { dotted, shown: `at ${line.start}` }]));
  const packages = new Set(target.packages ?? []);
  return {
    batch,
    recorded: target.recorded ?? [],
    aggregator: { file: edit.file, names, binds: batch.map((planned) => registrationName(file, planned.aggregator, routerVar)) },
    tests: { present: target.present ?? [], isPackage: (dir) => packages.has(dir), importlib: target.importlib ?? (() => false) },
  };
}

const messages = (batch: readonly Plan[], target?: Target) => findClashes(input(batch, target)).map((problem) => `${problem.path}: ${problem.message}`);

describe('findClashes: the aggregator', () => {
  it('refuses an import alias equal to the router variable', () => {
    expect(messages([plan('api_v1')])).toEqual([
      `feature: "api_v1" would import its router as api_v1_router into app/api/v1/api.py, which already binds that name (at ${INIT_API.indexOf('api_v1_router =')}); choose another feature name.`,
    ]);
  });

  it('refuses an alias another import, a function or a class already binds', () => {
    const aggregator = `${INIT_API}from app.legacy import router as pets_router\n\n\ndef vets_router() -> None:\n    pass\n\n\nclass cats_router:\n    pass\n`;
    const found = messages([plan('pets'), plan('vets'), plan('cats'), plan('dogs')], { aggregator });
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^payloads\[0\]\.feature: "pets" would import its router as pets_router into app\/api\/v1\/api.py, which already binds that name/);
    expect(found[1]).toMatch(/^payloads\[1\]\.feature: "vets" would import its router as vets_router/);
    expect(found[2]).toMatch(/^payloads\[2\]\.feature: "cats" would import its router as cats_router/);
  });

  it("is no clash when the name is the feature's own registration, or only imported, or spelled otherwise", () => {
    const registered = `${INIT_API.replace('from fastapi import APIRouter\n', 'from fastapi import APIRouter\n\nfrom app.api.v1.modules.pets import router as pets_router\nfrom app.api.v1.modules import vets\n')}api_v1_router.include_router(pets_router, prefix="/pets")\napi_v1_router.include_router(vets.router, prefix="/vets")\n`;
    expect(messages([plan('pets'), plan('vets')], { aggregator: registered })).toEqual([]);
    // Imported under the alias but not yet included: the patch only adds the include.
    const imported = INIT_API.replace('from fastapi import APIRouter\n', 'from fastapi import APIRouter\n\nfrom app.api.v1.modules.pets import router as pets_router\n');
    expect(messages([plan('pets')], { aggregator: imported })).toEqual([]);
    // Included under another name: the alias is never imported, so what else holds it is no matter.
    const elsewhere = `${INIT_API.replace('from fastapi import APIRouter\n', 'from fastapi import APIRouter\n\nfrom app.api.v1.modules.pets import router as pets\n')}pets_router = None\napi_v1_router.include_router(pets, prefix="/pets")\n`;
    expect(messages([plan('pets')], { aggregator: elsewhere })).toEqual([]);
    expect(messages([plan('pets')], { aggregator: `${INIT_API}pets_router = None\n` })).toHaveLength(1);
  });

  it('checks the module name a module-list import would bind, not the alias', () => {
    const aggregator = `${INIT_API.replace('from fastapi import APIRouter\n', 'from fastapi import APIRouter\n\nfrom app.api.v1.modules import items\n')}pets = "taken"\napi_v1_router.include_router(items.router, prefix="/items")\n`;
    expect(messages([plan('pets')], { aggregator })).toEqual([
      `feature: "pets" would import its router as pets into app/api/v1/api.py, which already binds that name (at ${aggregator.indexOf('pets = ')}); choose another feature name.`,
    ]);
    expect(messages([plan('pets_router')], { aggregator })).toEqual([]);
  });

  it('refuses two features of a batch binding one name', () => {
    // Not made by the presets, where each feature binds its own alias or module: a layout could.
    const batch = [plan('pets'), plan('vets')];
    const found = findClashes({ ...input(batch), aggregator: { ...input(batch).aggregator, binds: ['api', 'api'] } });
    expect(found).toEqual([
      { path: 'payloads[1].feature', message: '"vets" would import its router as api into app/api/v1/api.py, a name feature "pets" (payloads[0]) would bind too; choose another feature name.' },
    ]);
  });

  it('does not take an indented or keyword line for a binding', () => {
    const file = analyse('try:\n    x_router = 1\nexcept ImportError:\n    pass\nelse:\n    pass\nasync def a_router():\n    pass\nb_router: int = 2\n', plan('x').aggregator);
    expect([...topLevelBindings(file, 'app.api.v1').keys()]).toEqual(['a_router', 'b_router']);
  });
});

describe('findClashes: names other features hold', () => {
  it('refuses a response class a recorded feature defines (pet2, pet_2)', () => {
    expect(messages([plan('pet_2')], { recorded: [plan('pet2')] })).toEqual([
      'feature: "pet_2" would define the class Pet2Status, which feature "pet2" already defines (app/api/v1/modules/pet2/schemas.py); choose another feature name.',
    ]);
  });

  it('refuses the same within one batch, under the later payload', () => {
    expect(messages([plan('pets'), plan('pet2'), plan('pet_2')])).toEqual([
      'payloads[2].feature: "pet_2" would define the class Pet2Status, which feature "pet2" (payloads[1]) also defines (app/api/v1/modules/pet2/schemas.py); choose another feature name.',
    ]);
  });

  it('refuses a module another feature creates', () => {
    const flat: Blueprint = {
      ...PRESETS.modules!,
      paths: { schema: 'app/{feature}.py', service: 'app/{feature}_service.py', router: 'app/routers/{feature}.py', readme: 'docs/{feature}.md', test: 'tests/test_{feature}.py' },
    };
    expect(messages([plan('a_service', flat)], { recorded: [plan('a', flat)] })).toEqual([
      'feature: "a_service" would create the module app.a_service, which feature "a" already creates (app/a_service.py); choose another feature name.',
    ]);
    // A batch that would write one file twice is refused the same way, not decided by order.
    expect(messages([plan('a', flat), plan('a_service', flat)])).toEqual([
      'payloads[1].feature: "a_service" would create the module app.a_service, which feature "a" (payloads[0]) also creates (app/a_service.py); choose another feature name.',
    ]);
  });

  it('refuses an operation id or a handler another feature uses', () => {
    const other = plan('vets');
    const taken = { ...other, context: { ...other.context, operation: { id: 'pets_status', handler: 'read_pets_status' } } };
    expect(messages([plan('pets')], { recorded: [taken] })).toEqual([
      'feature: "pets" would use the operation id pets_status, which feature "vets" already uses (app/api/v1/modules/vets/router.py); choose another feature name.',
      'feature: "pets" would define the route handler read_pets_status, which feature "vets" already defines (app/api/v1/modules/vets/router.py); choose another feature name.',
    ]);
  });

  it('is no clash to generate a feature again, recorded and registered', () => {
    const registered = `${INIT_API.replace('from fastapi import APIRouter\n', 'from fastapi import APIRouter\n\nfrom app.api.v1.modules.pet2 import router as pet2_router\n')}api_v1_router.include_router(pet2_router, prefix="/pet2")\n`;
    const target = { recorded: [plan('pet2'), plan('pets')], aggregator: registered, present: ['tests/api/v1/test_pet2.py'] };
    expect(messages([plan('pet2')], target)).toEqual([]);
    expect(messages([plan('pets'), plan('pet2')], target)).toEqual([]);
  });
});

describe('findClashes: test modules', () => {
  it("refuses a test module whose basename another test module has, in pytest's default import mode", () => {
    expect(messages([plan('app')], { present: ['tests/test_app.py'] })).toEqual([
      `feature: "app" would add the test module test_app (tests/api/v1/test_app.py), but tests/test_app.py already has that name, and pytest's default import mode would import both as test_app; choose another feature name.`,
    ]);
  });

  it('allows it under --import-mode=importlib, or when packages name the modules apart', () => {
    expect(messages([plan('app')], { present: ['tests/test_app.py'], importlib: () => true })).toEqual([]);
    // tests.test_app and test_app; v1.test_app and test_app: pytest imports both.
    expect(messages([plan('app')], { present: ['tests/test_app.py'], packages: ['tests'] })).toEqual([]);
    expect(messages([plan('app')], { present: ['tests/test_app.py'], packages: ['tests/api/v1'] })).toEqual([]);
    // api.v1.test_app twice: still one name.
    const packages = ['tests/api', 'tests/api/v1', 'other/api', 'other/api/v1'];
    expect(messages([plan('app')], { present: ['other/api/v1/test_app.py'], packages })).toEqual([
      `feature: "app" would add the test module test_app (tests/api/v1/test_app.py), but other/api/v1/test_app.py already has that name, and pytest's default import mode would import both as api.v1.test_app; choose another feature name.`,
    ]);
  });

  it('reads the import mode only when two test modules share a basename', () => {
    const importlib = () => {
      throw new Error('read the pytest config for nothing');
    };
    expect(messages([plan('pets')], { present: ['tests/api/v1/test_pets.py'], importlib })).toEqual([]);
  });

  it('names the feature whose test holds the basename, recorded or earlier in the batch', () => {
    const nested: Blueprint = { ...PRESETS.modules!, paths: { ...PRESETS.modules!.paths, test: 'tests/{feature}/test_main.py' } };
    expect(messages([plan('cats', nested), plan('dogs', nested)], { recorded: [plan('pets', nested)], present: ['tests/pets/test_main.py'] })).toEqual([
      `payloads[0].feature: "cats" would add the test module test_main (tests/cats/test_main.py), but the test of feature "pets", tests/pets/test_main.py, already has that name, and pytest's default import mode would import both as test_main; choose another feature name.`,
      `payloads[1].feature: "dogs" would add the test module test_main (tests/dogs/test_main.py), but the test of feature "pets", tests/pets/test_main.py, already has that name, and pytest's default import mode would import both as test_main; choose another feature name.`,
      `payloads[1].feature: "dogs" would add the test module test_main (tests/dogs/test_main.py), but the test of feature "cats" (payloads[0]), tests/cats/test_main.py, would have that name, and pytest's default import mode would import both as test_main; choose another feature name.`,
    ]);
  });
});

describe('assertNoClashes', () => {
  it('passes a batch without clashes', () => {
    expect(() => assertNoClashes(input([plan('pets'), plan('vets')]))).not.toThrow();
  });

  it('refuses one clash as invalid input at the payload field, with hints', () => {
    const error = failure(() => assertNoClashes(input([plan('pet_2')], { recorded: [plan('pet2')] })));
    expect(error.exitCode).toBe(2);
    expect(error.path).toBe('feature');
    expect(error.text).toMatch(/^"pet_2" would define the class Pet2Status, which feature "pet2" already defines/);
    expect(error.hints).toHaveLength(1);
  });

  it('lists several clashes as problems, with the pytest hint for a test module', () => {
    const error = failure(() => assertNoClashes(input([plan('app'), plan('api_v1')], { present: ['tests/test_app.py'] })));
    expect(error.exitCode).toBe(2);
    expect(error.text).toBe('2 names the features would introduce are taken; nothing was written.');
    expect(error.problems.map((problem) => problem.path)).toEqual(['payloads[0].feature', 'payloads[1].feature']);
    expect(error.hints.at(-1)).toContain('--import-mode=importlib');
  });
});

describe("pytest's import mode", () => {
  const files = (found: Record<string, string>) => (file: string) => found[file];

  it('is read from pyproject.toml, INI-style or native', () => {
    expect(pytestAddopts(files({ 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "-q --import-mode=importlib"\n' }))).toEqual(['-q', '--import-mode=importlib']);
    expect(pytestAddopts(files({ 'pyproject.toml': '[tool.pytest]\naddopts = ["--import-mode", "importlib"]\n' }))).toEqual(['--import-mode', 'importlib']);
    expect(pytestAddopts(files({ 'pyproject.toml': '[tool.petsage]\npreset = "modules"\n' }))).toEqual([]);
  });

  it("follows pytest's choice of config file", () => {
    const pyproject = '[tool.pytest.ini_options]\naddopts = "--import-mode=importlib"\n';
    // pytest.ini wins even without the option, or empty.
    expect(pytestAddopts(files({ 'pytest.ini': '', 'pyproject.toml': pyproject }))).toEqual([]);
    expect(pytestAddopts(files({ 'pytest.toml': '[pytest]\naddopts = ["-q"]\n', 'pyproject.toml': pyproject }))).toEqual(['-q']);
    expect(pytestAddopts(files({ 'tox.ini': '[pytest]\naddopts = -x\n', 'pyproject.toml': pyproject }))).toEqual(['--import-mode=importlib']);
    expect(pytestAddopts(files({ 'setup.cfg': '[metadata]\nname = x\n[tool:pytest]\naddopts =\n    -q\n    --import-mode=importlib\n' }))).toEqual(['-q', '--import-mode=importlib']);
    expect(pytestAddopts(files({ '.pytest.ini': '# c\n[pytest]\n; c\naddopts: --import-mode importlib\n' }))).toEqual(['--import-mode', 'importlib']);
  });

  it('is importlib only when the last --import-mode says so', () => {
    expect(importsByPath(['--import-mode=importlib'])).toBe(true);
    expect(importsByPath(['--import-mode', 'importlib'])).toBe(true);
    expect(importsByPath(['--import-mode=importlib', '--import-mode=append'])).toBe(false);
    expect(importsByPath(['-q'])).toBe(false);
    expect(importsByPath([])).toBe(false);
  });
});
