// Backends nobody here generated, in the styles of public FastAPI projects, through the built
// binary: features that follow the backend's own conventions, and what petsage-build must refuse
// before writing a byte, and why.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBackend, passes, PYTEST } from '../helpers/backend-checks.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { petsage } from '../helpers/cli.js';
import { onlyPassed, testFunctions } from '../helpers/pytest.js';
import { fixture } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** A fresh copy of a hand-written backend under fixtures/backends/. */
function copyOf(name: string): string {
  const backend = path.join(tempDir(), name);
  cpSync(fixture(`backends/${name}`), backend, { recursive: true });
  return backend;
}

const PETS = fixture('resources/reference/households.json');

describe('a backend pinned to Pydantic 1 (fixtures/backends/pydantic-v1)', () => {
  it('is refused with exit 3 before anything is written, naming each pin, where it is and what the code needs', async () => {
    const backend = copyOf('pydantic-v1');
    const before = snapshotTree(backend);
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain("the backend's dependencies cannot run the code petsage-build generates; nothing was written.");
    expect(result.stderr).toContain('pyproject.toml [project].dependencies: pins pydantic >=1.10,<2, and the generated code needs pydantic >= 2.0');
    expect(result.stderr).toContain('pyproject.toml [project].dependencies: pins fastapi ==0.95.2, and the generated code needs fastapi >= 0.100.0');
    expect(result.stderr).toContain('requirements.txt: pins pydantic ==1.10.13');
    // SQLAlchemy 1.4 is no obstacle to a status feature.
    expect(result.stderr).not.toContain('sqlalchemy');
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('names SQLAlchemy too for a resource, in the JSON report as structured problems', async () => {
    const backend = copyOf('pydantic-v1');
    const before = snapshotTree(backend);
    const result = await petsage(['feature', PETS, '--target', backend, '--json']);
    expect(result.exitCode, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toContainEqual({ code: 'conflict', path: 'requirements.txt', message: 'pins sqlalchemy ==1.4.52, and the generated code needs sqlalchemy >= 2.0: the generated models are SQLAlchemy 2.0 typed models (DeclarativeBase, mapped_column)' });
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('goes through once the pins reach Pydantic 2, so the refusal is about the pins and nothing else', async () => {
    const backend = copyOf('pydantic-v1');
    const pyproject = path.join(backend, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('"fastapi==0.95.2"', '"fastapi>=0.110"').replace('"pydantic>=1.10,<2"', '"pydantic>=2.7"') + '\n[tool.petsage]\npreset = "endpoints"\naggregator = "app/main.py"\nrouter = "app"\npaths.router = "app/routers/{feature}.py"\n');
    writeFileSync(path.join(backend, 'requirements.txt'), 'fastapi==0.115.0\npydantic==2.9.2\n');
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    // Mounted as its sibling is: the tags passed at include time, spelled as the sibling spells its own.
    expect(readFileSync(path.join(backend, 'app/main.py'), 'utf8')).toContain('app.include_router(smoke_test.router, prefix="/api/v1/smoke-test", tags=["smoke-test"])\n');
  });
});

/** Three status features, each a payload file, generated one run after another. */
function threePayloads(): string[] {
  const dir = tempDir();
  return [
    ['pet_food', 'What the pets eat.'],
    ['vet_visits', 'Visits to the vet.'],
    ['grooming_appointments', 'Baths and trims.'],
  ].map(([feature, description]) => {
    const file = path.join(dir, `${feature}.json`);
    writeFileSync(file, JSON.stringify({ feature, description }));
    return file;
  });
}

/** The backend's own checks on a copy (they leave caches beside the code): its ruff on the aggregator, its whole test suite. */
async function projectChecks(backend: string, aggregator: string): Promise<void> {
  const checked = path.join(tempDir(), 'checked');
  cpSync(backend, checked, { recursive: true });
  await passes(checked, 'ruff', ['check', aggregator]);
  await passes(checked, 'ruff', ['format', '--check', aggregator]);
  expect(await passes(checked, 'python', PYTEST)).toMatch(onlyPassed(testFunctions(checked)));
}

describe("a backend in the full-stack template's layout (fixtures/backends/full-stack-style)", () => {
  it('is recognised with no config; three features in a row follow its routes, tests and formatting, pass its suite, and come out again to the original bytes', async () => {
    const backend = copyOf('full-stack-style');
    const original = snapshotTree(backend);
    const read = (file: string) => readFileSync(path.join(backend, file), 'utf8');
    // Its models and migrations are its own: a resource is refused, naming the block, with nothing written.
    const resource = await petsage(['feature', PETS, '--target', backend]);
    expect(resource.exitCode, resource.stderr).toBe(2);
    expect(resource.stderr).toContain('resource: the "full-stack" layout takes status features only');
    expect(snapshotTree(backend)).toEqual(original);
    for (const payload of threePayloads()) {
      const result = await petsage(['feature', payload, '--target', backend]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('layout "full-stack" detected from app/api/main.py and app/api/routes/');
    }
    // Its routes set their own prefix and tags, so the includes pass none; its module list, too
    // long after the third, is wrapped as ruff's isort wraps it.
    expect(read('app/api/routes/vet_visits.py')).toContain('\nrouter = APIRouter(prefix="/vet-visits", tags=["vet-visits"])\n');
    expect(read('app/api/main.py')).toContain('\napi_router.include_router(vet_visits.router)\n');
    expect(read('app/api/main.py')).toContain('from app.api.routes import (\n    grooming_appointments,\n    items,\n');
    // Its tests build URLs from the settings the app mounts the API under, and use its module-scoped client.
    const test = read('tests/api/routes/test_vet_visits.py');
    expect(test).toContain('from app.core.config import settings\n');
    expect(test).toContain('FEATURE_URL = f"{settings.API_V1_STR}/vet-visits/"\n');
    expect(test).not.toContain('def client(');
    await projectChecks(backend, 'app/api/main.py');

    expect((await petsage(['check', '--target', backend])).exitCode).toBe(0);
    for (const feature of ['pet_food', 'vet_visits', 'grooming_appointments']) {
      const removal = await petsage(['remove', feature, '--target', backend]);
      expect(removal.exitCode, removal.stderr).toBe(0);
    }
    expect(snapshotTree(backend)).toEqual(original);
  });
});

describe('a full-stack-style backend whose app comes from a factory and mounts the API under /api', () => {
  it('is generated into with no config at the URL the app really serves, and its suite passes', async () => {
    const backend = copyOf('full-stack-style');
    const config = path.join(backend, 'app/core/config.py');
    writeFileSync(config, readFileSync(config, 'utf8').replace('API_V1_STR: str = "/api/v1"', 'API_V1_STR: str = "/api"'));
    writeFileSync(path.join(backend, 'app/main.py'), [
      'from fastapi import FastAPI',
      '',
      'from app.api.main import api_router',
      'from app.core.config import settings',
      '',
      '',
      'def create_app() -> FastAPI:',
      '    application = FastAPI(openapi_url=f"{settings.API_V1_STR}/openapi.json")',
      '    application.include_router(api_router, prefix=settings.API_V1_STR)',
      '    return application',
      '',
      '',
      'app = create_app()',
      '',
    ].join('\n'));
    const [payload] = threePayloads();
    const result = await petsage(['feature', payload!, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Endpoint: GET /api/pet-food/');
    expect(readFileSync(path.join(backend, 'docs/features/pet_food.md'), 'utf8')).toContain('curl http://localhost:8000/api/pet-food/');
    await projectChecks(backend, 'app/api/main.py');
  });
});

/** The status code a request gets from the app with no dependency overridden, through Python. */
async function statusWithoutOverrides(backend: string, url: string): Promise<string> {
  const script = `from fastapi.testclient import TestClient\nfrom app.main import app\nprint(TestClient(app).get(${JSON.stringify(url)}).status_code)`;
  return (await passes(backend, 'python', ['-c', script])).trim();
}

describe('route_dependencies: every generated router depends on what the config names (such as authentication)', () => {
  it("puts the backend's current-user dependency on a status feature in the full-stack layout: requests without a token are refused, and the generated tests override it", async () => {
    const backend = copyOf('full-stack-style');
    writeFileSync(path.join(backend, 'pyproject.toml'), `${readFileSync(path.join(backend, 'pyproject.toml'), 'utf8')}\n[tool.petsage]\npreset = "full-stack"\nroute_dependencies = ["app.api.deps:CurrentUser"]\n`);
    const [payload] = threePayloads();
    const result = await petsage(['feature', payload!, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    // The Annotated alias is resolved to the callable it depends on, which the router declares.
    expect(readFileSync(path.join(backend, 'app/api/routes/pet_food.py'), 'utf8')).toContain('dependencies=[Depends(get_current_user)]');
    const checked = path.join(tempDir(), 'checked');
    cpSync(backend, checked, { recursive: true });
    await passes(checked, 'ruff', ['check', '.']);
    await passes(checked, 'ruff', ['format', '--check', '.']);
    await passes(checked, 'mypy', ['--strict', 'app', 'tests']);
    expect(await passes(checked, 'python', PYTEST)).toMatch(onlyPassed(testFunctions(checked)));
    expect(await statusWithoutOverrides(checked, '/api/v1/pet-food/')).toBe('401');
  });

  it('puts an API-key dependency on resources and a status feature of an init backend, which passes every check and refuses requests without the key', async () => {
    const backend = path.join(tempDir(), 'backend');
    expect((await petsage(['init', backend])).exitCode).toBe(0);
    mkdirSync(path.join(backend, 'app/api'), { recursive: true });
    writeFileSync(path.join(backend, 'app/api/deps.py'), [
      'from typing import Annotated',
      '',
      'from fastapi import Header, HTTPException',
      '',
      '',
      'def require_api_key(x_api_key: Annotated[str | None, Header()] = None) -> None:',
      '    if x_api_key != "secret":',
      '        raise HTTPException(status_code=401, detail="An API key is needed.")',
      '',
    ].join('\n'));
    const pyproject = path.join(backend, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('[tool.petsage]\n', '[tool.petsage]\nroute_dependencies = ["app.api.deps:require_api_key"]\n'));
    const [status] = threePayloads();
    const reference = ['households.json', 'pet_profiles.json'].map((name) => fixture(`resources/reference/${name}`));
    const result = await petsage(['feature', ...reference, status!, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    const checked = path.join(tempDir(), 'checked');
    cpSync(backend, checked, { recursive: true });
    await checkBackend(checked);
    for (const url of ['/api/v1/households/', '/api/v1/pet-profiles/', '/api/v1/pet-food/']) expect(await statusWithoutOverrides(checked, url), url).toBe('401');
  });
});

/**
 * Backends no preset fits, each in a style of its own: `config --detect --write` reads its
 * layout from the code, then three features follow it, pass its ruff and its whole suite, and
 * come out again to the original bytes but the block --write added.
 */
describe.each([
  {
    name: 'relative-init',
    style: 'a relative-import __init__.py aggregator, tests importing through src.',
    aggregator: 'src/app/api/__init__.py',
    block: ['preset = "modules"', 'app = "src.app.main:app"', 'api_prefix = "/api"', 'aggregator = "src/app/api/__init__.py"', 'router = "api_router"', 'init = "src/app/api/{feature}/__init__.py"', 'test = "tests/api/test_{feature}.py"'],
    generated: {
      'src/app/api/__init__.py': ['from .vet_visits import router as vet_visits_router\n', 'api_router.include_router(vet_visits_router, prefix="/vet-visits", tags=["Vet Visits"])\n'],
      'tests/api/test_vet_visits.py': ['from src.app.main import app\n', 'FEATURE_URL = "/api/vet-visits/"\n'],
      'src/app/api/vet_visits/README.md': ['# Vet Visits'],
      // Its modules import each other relatively, as the siblings' do: no import root is spelled.
      'src/app/api/vet_visits/__init__.py': ['\nfrom .router import router\n'],
      'src/app/api/vet_visits/router.py': ['\nfrom .schemas import VetVisitsStatus\nfrom .service import get_status, utc_now\n'],
    },
    // The server runs from src/, where the package is app., not src.app.
    server: { cwd: 'src', module: 'app.main' },
  },
  {
    name: 'wrapped-100',
    style: 'ruff line length 100, wrapped aliased includes under comments giving their paths',
    aggregator: 'app/api/router.py',
    block: ['preset = "endpoints"', 'api_prefix = "/v2"', 'aggregator = "app/api/router.py"', 'router = "api_router"', 'schema = "app/schemas/{feature}.py"', 'router = "app/api/endpoints/{feature}.py"', 'test = "tests/api/test_{feature}.py"'],
    generated: {
      'app/api/router.py': ['from app.api.endpoints.vet_visits import router as vet_visits_router\n', '# /vet-visits\napi_router.include_router(\n    vet_visits_router,\n    prefix="/vet-visits",\n    tags=["vet-visits"],\n)\n'],
      'tests/api/test_vet_visits.py': ['from app.core.settings import settings\n', 'FEATURE_URL = f"{settings.api_prefix}/vet-visits/"\n'],
      'app/schemas/vet_visits.py': ['class VetVisitsStatus(BaseModel)'],
    },
  },
] as { name: string; style: string; aggregator: string; block: string[]; generated: Record<string, string[]>; server?: { cwd: string; module: string } }[])('a backend no preset fits: $style (fixtures/backends/$name)', ({ name, aggregator, block, generated, server }) => {
  it('config --detect --write, three features that pass its ruff and its whole suite, and remove back to the original bytes but the block', async () => {
    const backend = copyOf(name);
    const original = snapshotTree(backend);
    const pyproject = readFileSync(path.join(backend, 'pyproject.toml'), 'utf8');
    const detected = await petsage(['config', '--detect', '--target', backend, '--json']);
    expect(detected.exitCode, detected.stderr).toBe(0);
    const { toml, written } = JSON.parse(detected.stdout);
    expect(written).toBe(false);
    for (const line of block) expect(toml.split('\n')).toContain(line);
    expect(snapshotTree(backend)).toEqual(original);

    const write = await petsage(['config', '--detect', '--write', '--target', backend]);
    expect(write.exitCode, write.stderr).toBe(0);
    expect(readFileSync(path.join(backend, 'pyproject.toml'), 'utf8')).toBe(`${pyproject}\n${toml}`);
    const configured = snapshotTree(backend);
    // A second --write would double the config: refused, nothing written.
    const again = await petsage(['config', '--detect', '--write', '--target', backend]);
    expect(again.exitCode).toBe(3);
    expect(snapshotTree(backend)).toEqual(configured);

    for (const payload of threePayloads()) {
      const result = await petsage(['feature', payload, '--target', backend]);
      expect(result.exitCode, result.stderr).toBe(0);
    }
    for (const [file, pieces] of Object.entries(generated)) {
      const text = readFileSync(path.join(backend, file), 'utf8');
      for (const piece of pieces) expect(text).toContain(piece);
    }
    await projectChecks(backend, aggregator);
    if (server) {
      const root = path.join(tempDir(), 'served');
      cpSync(backend, root, { recursive: true });
      await passes(path.join(root, server.cwd), 'python', ['-c', `import ${server.module}`]);
    }
    expect((await petsage(['check', '--target', backend])).exitCode).toBe(0);
    for (const feature of ['pet_food', 'vet_visits', 'grooming_appointments']) {
      const removal = await petsage(['remove', feature, '--target', backend]);
      expect(removal.exitCode, removal.stderr).toBe(0);
    }
    expect(snapshotTree(backend)).toEqual(configured);
    expect({ ...snapshotTree(backend), 'pyproject.toml': original['pyproject.toml'] }).toEqual(original);
  });
});

describe('resources into a backend whose code lives in a package of its own (fixtures/backends/custom: service/, app "application")', () => {
  it("persist in that package, as the preset lays resources out under its own; every check passes on SQLite and PostgreSQL, and check is current", async () => {
    const backend = copyOf('custom');
    const households = fixture('resources/reference/households.json');
    const pets = fixture('resources/reference/pet_profiles.json');
    const result = await petsage(['feature', households, pets, '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    const tree = snapshotTree(backend);
    // The modules preset's layout, under service/ instead of app/; the migrations beside alembic.ini.
    for (const file of ['service/api/v1/modules/households/models.py', 'service/db/tables.py', 'service/db/session.py', 'alembic.ini', 'migrations/env.py']) expect(Object.keys(tree)).toContain(file);
    expect(Object.keys(tree).filter((file) => file.startsWith('app/'))).toEqual([]);
    expect(readFileSync(path.join(backend, 'tests/http/test_households.py'), 'utf8')).toContain('\nfrom service.http.server import application as app\n');
    await checkBackend(backend, postgresDatabase);
    const check = await petsage(['check', '--target', backend]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
  }, 300_000);
});
