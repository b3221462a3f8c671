import { describe, expect, it } from 'vitest';
import { resolveBlueprint } from '../../src/blueprint/config.js';
import { failure } from '../helpers/errors.js';
import { projectWith } from '../helpers/tmp.js';

const MODULES = '[tool.petsage]\npreset = "modules"\n';

describe("the target's ruff line-length", () => {
  it('is read as ruff reads it: .ruff.toml, then ruff.toml, then [tool.ruff] in pyproject.toml', () => {
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES })).blueprint.lineLength).toBeUndefined();
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.ruff]\nline-length = 100\n` })).blueprint.lineLength).toBe(100);
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.ruff]\nline-length = 100\n`, 'ruff.toml': 'line-length = 79\n' })).blueprint.lineLength).toBe(79);
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'ruff.toml': 'line-length = 79\n', '.ruff.toml': 'line-length = 120\n' })).blueprint.lineLength).toBe(120);
    // A ruff.toml without line-length is ruff's config all the same: pyproject's is not read.
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.ruff]\nline-length = 100\n`, 'ruff.toml': '[lint]\nselect = ["E"]\n' })).blueprint.lineLength).toBeUndefined();
  });

  it("falls back to [tool.black]'s when the project has no ruff config, and only then", () => {
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.black]\nline-length = 100\n` })).blueprint.lineLength).toBe(100);
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.black]\nline-length = 100\n[tool.ruff]\ntarget-version = "py310"\n` })).blueprint.lineLength).toBeUndefined();
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.black]\nline-length = 100\n`, 'ruff.toml': 'line-length = 79\n' })).blueprint.lineLength).toBe(79);
    const error = failure(() => resolveBlueprint(projectWith({ 'pyproject.toml': `${MODULES}[tool.black]\nline-length = true\n` })));
    expect([error.message, ...error.details].join('\n')).toContain("black's line-length must be a whole number");
  });

  it.each([
    ['ruff.toml', 'line-length = "wide"\n', 'line-length: is "wide"'],
    ['ruff.toml', 'line-length = 0\n', 'line-length: is 0'],
    ['pyproject.toml', `${MODULES}[tool.ruff]\nline-length = 400\n`, 'tool.ruff.line-length: is 400'],
    ['ruff.toml', 'line-length = \n', 'is not valid TOML'],
  ])('refuses a bad one in %s (exit 2), naming the file and key', (file, text, problem) => {
    const files: Record<string, string> = { 'pyproject.toml': MODULES, [file]: text };
    const error = failure(() => resolveBlueprint(projectWith(files)));
    expect(error.exitCode).toBe(2);
    expect([error.message, ...error.details].join('\n')).toContain(problem);
    expect(error.message).toContain(file);
  });
});

describe("the target's Python floor", () => {
  const floor = (files: Record<string, string>) => resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, ...files })).blueprint.pythonFloor;
  const project = (requires: string) => `[project]\nname = "x"\nrequires-python = ${JSON.stringify(requires)}\n${MODULES}`;

  it("is the lower bound of requires-python, as ruff infers its target-version, and kept only from 3.11 on", () => {
    expect(floor({})).toBeUndefined();
    expect(floor({ 'pyproject.toml': project('>=3.10') })).toBeUndefined();
    expect(floor({ 'pyproject.toml': project('>=3.11') })).toBe('3.11');
    expect(floor({ 'pyproject.toml': project('>=3.12.1, <4') })).toBe('3.12');
    expect(floor({ 'pyproject.toml': project('~=3.13') })).toBe('3.13');
    expect(floor({ 'pyproject.toml': project('==3.12.*') })).toBe('3.12');
    // `>3.11` admits 3.11.1; a bound this does not read gives the spelling every Python has.
    expect(floor({ 'pyproject.toml': project('>3.11') })).toBe('3.11');
    expect(floor({ 'pyproject.toml': project('<4') })).toBeUndefined();
    expect(floor({ 'pyproject.toml': project('>=3.11; nonsense') })).toBeUndefined();
  });

  it("is ruff's target-version where the ruff config sets one, and requires-python beside a ruff.toml that does not", () => {
    expect(floor({ 'pyproject.toml': `${project('>=3.12')}[tool.ruff]\ntarget-version = "py310"\n` })).toBeUndefined();
    expect(floor({ 'pyproject.toml': `${project('>=3.10')}[tool.ruff]\ntarget-version = "py312"\n` })).toBe('3.12');
    expect(floor({ 'pyproject.toml': project('>=3.10'), 'ruff.toml': 'target-version = "py311"\n' })).toBe('3.11');
    expect(floor({ 'pyproject.toml': project('>=3.12'), '.ruff.toml': 'line-length = 100\n' })).toBe('3.12');
  });

  it.each([
    ['ruff.toml', 'target-version = "3.12"\n', 'target-version: is "3.12"'],
    ['pyproject.toml', `${MODULES}[tool.ruff]\ntarget-version = 312\n`, 'tool.ruff.target-version: is 312'],
  ])('refuses a target-version ruff would refuse in %s (exit 2), naming the file and key', (file, text, problem) => {
    const error = failure(() => resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, [file]: text })));
    expect(error.exitCode).toBe(2);
    expect([error.message, ...error.details].join('\n')).toContain(problem);
    expect(error.message).toContain(file);
  });
});

describe("the project's client fixture", () => {
  const fixture = '@pytest.fixture\ndef client() -> Iterator[TestClient]:\n    yield TestClient(app)\n';

  it('is used when a conftest.py on the way to the tests provides it', () => {
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'tests/conftest.py': fixture })).blueprint.clientFixture).toBe(true);
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'tests/api/v1/conftest.py': fixture.replace('@pytest.fixture', '@pytest.fixture(scope="module")') })).blueprint.clientFixture).toBe(true);
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'conftest.py': fixture })).blueprint.clientFixture).toBe(true);
  });

  it('is not assumed from a conftest elsewhere, a plain function or another fixture', () => {
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'other/conftest.py': fixture })).blueprint.clientFixture).toBeUndefined();
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'tests/conftest.py': 'def client() -> None:\n    pass\n' })).blueprint.clientFixture).toBeUndefined();
    expect(resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'tests/conftest.py': fixture.replace('def client', 'def api_client') })).blueprint.clientFixture).toBeUndefined();
  });
});

describe('the URL prefix the app mounts the API under', () => {
  const files = (config: string, mount: string) => ({
    'pyproject.toml': `[tool.petsage]\npreset = "full-stack"\n${config}`,
    'app/__init__.py': '',
    'app/core/config.py': 'from pydantic import BaseModel\n\n\nclass Settings(BaseModel):\n    API_V1_STR: str = "/api"\n\n\nsettings = Settings()\n',
    'app/api/main.py': 'from fastapi import APIRouter\n\napi_router = APIRouter()\n',
    'app/main.py': `from fastapi import FastAPI\n\nfrom app.api.main import api_router\nfrom app.core.config import settings\n\n${mount}`,
  });
  const factory = 'def create_app() -> FastAPI:\n    application = FastAPI()\n    application.include_router(api_router, prefix=settings.API_V1_STR)\n    return application\n\n\napp = create_app()\n';
  const generating = [] as const;

  it("replaces the preset's when the app says it, through a settings default or a literal, in a factory too", () => {
    expect(resolveBlueprint(projectWith(files('', factory)), undefined, generating).blueprint.apiPrefix).toBe('/api');
    expect(resolveBlueprint(projectWith(files('', 'app = FastAPI()\napp.include_router(api_router, prefix="/v2")\n')), undefined, generating).blueprint.apiPrefix).toBe('/v2');
  });

  it('yields to api_prefix in the config, and is not read by commands that only read', () => {
    expect(resolveBlueprint(projectWith(files('api_prefix = "/api/v1"\n', factory)), undefined, generating).blueprint.apiPrefix).toBe('/api/v1');
    expect(resolveBlueprint(projectWith(files('', factory))).blueprint.apiPrefix).toBe('/api/v1');
  });
});

describe("the siblings' tag style", () => {
  const aggregator = [
    'from fastapi import APIRouter',
    '',
    'from app.api.v1.modules.pet_profiles import router as pet_profiles_router',
    'from app.api.v1.modules.visits import router as visits_router',
    '',
    'api_v1_router = APIRouter()',
    'api_v1_router.include_router(pet_profiles_router, prefix="/pet-profiles")',
    'api_v1_router.include_router(visits_router, prefix="/visits")',
    '',
  ].join('\n');
  const packageOf = (name: string, init: string, tag: string) => ({
    [`app/api/v1/modules/${name}/__init__.py`]: init,
    [`app/api/v1/modules/${name}/router.py`]: `from fastapi import APIRouter\n\nrouter = APIRouter(tags=[${JSON.stringify(tag)}])\n`,
  });
  const mountOf = (files: Record<string, string>) =>
    resolveBlueprint(projectWith({ 'pyproject.toml': MODULES, 'app/api/v1/api.py': aggregator, ...files }), undefined, []).blueprint.mount;

  it("is read from the router module a package's __init__.py re-exports, relatively or absolutely", () => {
    const relative = packageOf('pet_profiles', 'from .router import router\n', 'pet-profiles');
    const absolute = packageOf('visits', 'from app.api.v1.modules.visits.router import router\n', 'visits');
    expect(mountOf({ ...relative, ...absolute })?.tagStyle).toBe('kebab');
    expect(mountOf({ ...packageOf('pet_profiles', 'from .router import router\n', 'pet_profiles'), ...absolute })?.tagStyle).toBe('snake');
  });

  it("is read from the __init__.py itself when it defines the router, and is the default when no module says", () => {
    const defining = { 'app/api/v1/modules/pet_profiles/__init__.py': 'from fastapi import APIRouter\n\nrouter = APIRouter(tags=["pet-profiles"])\n' };
    expect(mountOf(defining)?.tagStyle).toBe('kebab');
    // A re-export from a module the project lacks, and a package that imports no router: nothing to read.
    expect(mountOf({ 'app/api/v1/modules/pet_profiles/__init__.py': 'from .missing import router\n', 'app/api/v1/modules/visits/__init__.py': 'X = 1\n' })?.tagStyle ?? 'title').toBe('title');
  });
});
