/**
 * config --detect's inference, pure over small hand-written trees: which file is the aggregator
 * and which router in it, the app, the import root, the API prefix and the artifact paths, and
 * what it refuses. Every expected section is written out by hand.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectConfig } from '../../src/blueprint/detect-config.js';
import { readProjectFiles } from '../../src/blueprint/project-files.js';
import { failure } from '../helpers/errors.js';
import { projectWith, tempDir } from '../helpers/tmp.js';

/** A route module with one route on `router`. */
const ROUTES = 'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get("/")\ndef read() -> dict[str, str]:\n    return {}\n';

/** The relative-import `__init__.py` aggregator of features kept as packages, tests importing through `src.`. */
const PACKAGES = {
  'src/__init__.py': '',
  'src/app/__init__.py': '',
  'src/app/main.py': 'from fastapi import FastAPI\n\nfrom .api import api_router\n\napp = FastAPI()\napp.include_router(api_router, prefix="/api")\n',
  'src/app/api/__init__.py':
    'from fastapi import APIRouter\n\nfrom .adoptions import router as adoptions_router\nfrom .users import router as users_router\n\napi_router = APIRouter()\napi_router.include_router(adoptions_router, prefix="/adoptions")\napi_router.include_router(users_router, prefix="/users")\n',
  'src/app/api/users/__init__.py': 'from .router import router\n',
  'src/app/api/users/router.py': ROUTES,
  'src/app/api/users/schemas.py': '',
  'src/app/api/users/service.py': '',
  'src/app/api/adoptions/__init__.py': 'from .router import router\n',
  'src/app/api/adoptions/router.py': ROUTES,
  'src/app/api/adoptions/schemas.py': '',
  'tests/conftest.py': 'from src.app.main import app\n',
  'tests/api/test_users.py': '',
};

/** Flat route modules, schemas and services in sibling folders, mounted by the app under a settings value. */
const FLAT = {
  'app/__init__.py': '',
  'app/core/settings.py': 'from pydantic import BaseModel\n\n\nclass Settings(BaseModel):\n    api_prefix: str = "/v2"\n\n\nsettings = Settings()\n',
  'app/main.py': 'from fastapi import FastAPI\n\nfrom app.api.router import api_router\nfrom app.core.settings import settings\n\napp = FastAPI()\napp.include_router(api_router, prefix=settings.api_prefix)\n',
  'app/api/router.py':
    'from fastapi import APIRouter\n\nfrom app.api.endpoints import feedbacks, health\n\napi_router = APIRouter()\n# /feedbacks\napi_router.include_router(\n    feedbacks.router,\n    prefix="/feedbacks",\n)\n# /health\napi_router.include_router(health.router, prefix="/health")\n',
  'app/api/endpoints/__init__.py': '',
  'app/api/endpoints/feedbacks.py': ROUTES,
  'app/api/endpoints/health.py': ROUTES,
  'app/schemas/feedbacks.py': '',
  'app/services/feedbacks.py': '',
  'docs/api/feedbacks.md': '',
  'tests/api/endpoints/test_feedbacks.py': '',
  'tests/api/endpoints/test_health.py': '',
};

describe('config --detect reads the layout from the code', () => {
  it('a relative-import __init__.py aggregator of packages, tests through src.: the import root the tests use, init path, the app and its prefix', () => {
    const detected = detectConfig(projectWith(PACKAGES));
    expect(detected.preset).toBeUndefined();
    expect(detected.section).toEqual({
      preset: 'modules',
      app: 'src.app.main:app',
      api_prefix: '/api',
      aggregator: 'src/app/api/__init__.py',
      router: 'api_router',
      paths: {
        schema: 'src/app/api/{feature}/schemas.py',
        service: 'src/app/api/{feature}/service.py',
        router: 'src/app/api/{feature}/router.py',
        init: 'src/app/api/{feature}/__init__.py',
        readme: 'src/app/api/{feature}/README.md',
        test: 'tests/api/test_{feature}.py',
      },
    });
    expect(detected.evidence[0]).toBe('aggregator: src/app/api/__init__.py, api_router (line 6), mounting adoptions and users');
  });

  it('flat modules: schemas and services from sibling folders, the readme folder and the tests found, the prefix from the settings default', () => {
    const detected = detectConfig(projectWith(FLAT));
    expect(detected.section).toEqual({
      preset: 'endpoints',
      api_prefix: '/v2',
      aggregator: 'app/api/router.py',
      router: 'api_router',
      paths: { schema: 'app/schemas/{feature}.py', router: 'app/api/endpoints/{feature}.py', readme: 'docs/api/{feature}.md', test: 'tests/api/endpoints/test_{feature}.py' },
    });
    expect(detected.evidence).toContain('api_prefix: "/v2", from settings.api_prefix, as app/core/settings.py sets it');
  });

  it('flat modules with nothing beside them get the defaults under their top package', () => {
    const { 'app/schemas/feedbacks.py': _schema, 'app/services/feedbacks.py': _service, 'docs/api/feedbacks.md': _doc, 'tests/api/endpoints/test_feedbacks.py': _t1, 'tests/api/endpoints/test_health.py': _t2, ...bare } = FLAT;
    const { paths } = detectConfig(projectWith(bare)).section as { paths: Record<string, string> };
    // The endpoints preset's service and readme are these defaults already, so only the others differ.
    expect(paths).toEqual({ schema: 'app/schemas/{feature}.py', router: 'app/api/endpoints/{feature}.py', test: 'tests/test_{feature}.py' });
  });

  it('a src layout imported as app.*: source_root src, a src preset, the app module under it', () => {
    const detected = detectConfig(
      projectWith({
        'src/shop/main.py': 'from fastapi import FastAPI\n\nfrom shop.routes import orders, carts\n\napp = FastAPI()\napp.include_router(orders.router, prefix="/api/orders")\napp.include_router(carts.router, prefix="/api/carts")\n',
        'src/shop/routes/orders.py': ROUTES,
        'src/shop/routes/carts.py': ROUTES,
      }),
    );
    expect(detected.section).toEqual({
      preset: 'layered',
      app: 'shop.main:app',
      api_prefix: '/api',
      aggregator: 'src/shop/main.py',
      router: 'app',
      // The readme's default is the layered preset's own, so it is left to the preset.
      paths: { schema: 'src/shop/schemas/{feature}.py', service: 'src/shop/services/{feature}.py', router: 'src/shop/routes/{feature}.py', test: 'tests/test_{feature}.py' },
    });
  });

  it('prefers the file that mounts the features over the app that only mounts it', () => {
    const root = projectWith({
      'svc/main.py': 'from fastapi import FastAPI\n\nfrom svc.web.api import router as api\n\napp = FastAPI()\napp.include_router(api, prefix="/api/v3")\n',
      'svc/web/api.py': 'from fastapi import APIRouter\n\nfrom svc.web import items, users\n\nrouter = APIRouter()\nrouter.include_router(items.router, prefix="/items")\nrouter.include_router(users.router, prefix="/users")\n',
      'svc/web/items.py': ROUTES,
      'svc/web/users.py': ROUTES,
    });
    expect(detectConfig(root).section).toMatchObject({ app: 'svc.main:app', api_prefix: '/api/v3', aggregator: 'svc/web/api.py', router: 'router' });
  });

  it('a prefix computed at run time is left to the preset, with a note saying so', () => {
    const root = projectWith({
      'app/main.py': 'import os\n\nfrom fastapi import FastAPI\n\nfrom app.api import api_router\n\napp = FastAPI()\napp.include_router(api_router, prefix=os.environ["PREFIX"])\n',
      'app/api.py': 'from fastapi import APIRouter\n\nfrom app.routes import items\n\napi_router = APIRouter()\napi_router.include_router(items.router)\n',
      'app/routes/items.py': ROUTES,
    });
    const detected = detectConfig(root);
    expect(detected.section).not.toHaveProperty('api_prefix');
    expect(detected.notes).toContain(`the URL prefix app/main.py mounts api_router under could not be read as a literal: the preset's "/api/v1" applies; set api_prefix if the API is served elsewhere.`);
  });

  it('an app that mounts the aggregator without a prefix serves the API at the root', () => {
    const root = projectWith({
      'app/main.py': 'from fastapi import FastAPI\n\nfrom app.api import api_router\n\napp = FastAPI()\napp.include_router(api_router)\n',
      'app/api.py': 'from fastapi import APIRouter\n\nfrom app.routes import items\n\napi_router = APIRouter()\napi_router.include_router(items.router)\n',
      'app/routes/items.py': ROUTES,
    });
    expect(detectConfig(root).section).toMatchObject({ api_prefix: '' });
  });

  it('a backend whose files fit a preset is told the preset, and the block is just it', () => {
    const detected = detectConfig(projectWith({ 'app/api/main.py': '', 'app/api/routes/items.py': ROUTES }));
    expect(detected).toMatchObject({ preset: 'full-stack', section: { preset: 'full-stack' } });
  });
});

describe('config --detect refuses what it cannot tell (exit 2)', () => {
  const TWO_VERSIONS = {
    'app/main.py':
      'from fastapi import FastAPI\n\nfrom app.v1 import router as v1\nfrom app.v2 import router as v2\n\napp = FastAPI()\napp.include_router(v1, prefix="/v1")\napp.include_router(v2, prefix="/v2")\n',
    'app/v1/__init__.py': 'from fastapi import APIRouter\n\nfrom app.v1 import items\n\nrouter = APIRouter()\nrouter.include_router(items.router)\n',
    'app/v1/items.py': ROUTES,
    'app/v2/__init__.py': 'from fastapi import APIRouter\n\nfrom app.v2 import items, users\n\n\nrouter = APIRouter()\nrouter.include_router(items.router)\nrouter.include_router(users.router)\n',
    'app/v2/items.py': ROUTES,
    'app/v2/users.py': ROUTES,
  };

  it('several equally plausible aggregators: each listed with its router, line and includes, and how to choose', () => {
    const error = failure(() => detectConfig(projectWith(TWO_VERSIONS)));
    expect(error.exitCode).toBe(2);
    expect(error.text).toBe('found 2 files that could be the aggregator, equally plausible; nothing was written.');
    expect(error.problems).toEqual([
      { path: 'app/v1/__init__.py', message: 'router (line 5), 1 include' },
      { path: 'app/v2/__init__.py', message: 'router (line 6), 2 includes' },
    ]);
    expect(error.hints[0]).toContain('--aggregator app/v1/__init__.py --router router');
  });

  it('--aggregator settles it; one that names no candidate lists them', () => {
    const root = projectWith(TWO_VERSIONS);
    expect(detectConfig(root, { aggregator: 'app/v2/__init__.py' }).section).toMatchObject({ aggregator: 'app/v2/__init__.py', router: 'router', api_prefix: '/v2' });
    const error = failure(() => detectConfig(root, { aggregator: 'app/v3/__init__.py' }));
    expect(error).toMatchObject({ exitCode: 2, path: '--aggregator' });
    // Every candidate, the app that mounts both among them.
    expect(error.problems.map((problem) => problem.path)).toEqual(['app/main.py', 'app/v1/__init__.py', 'app/v2/__init__.py']);
  });

  it('no file includes an imported router', () => {
    const error = failure(() => detectConfig(projectWith({ 'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n' })));
    expect(error.exitCode).toBe(2);
    expect(error.text).toContain('found no aggregator');
  });

  it('an aggregator mounting only an empty router (no feature yet) cannot tell where features go', () => {
    const error = failure(() =>
      detectConfig(
        projectWith({
          'svc/server.py': 'from fastapi import FastAPI\n\nfrom svc.routes import http_router\n\napp = FastAPI()\napp.include_router(http_router)\n',
          'svc/routes.py': 'from fastapi import APIRouter\n\nhttp_router = APIRouter()\n',
        }),
      ),
    );
    expect(error).toMatchObject({ exitCode: 2, path: 'svc/server.py' });
    expect(error.text).toContain('mounts no router of a feature module');
  });

  it('tests that build their own app and include routers are not candidates', () => {
    const root = projectWith({
      'app/main.py': 'from fastapi import FastAPI\n\nfrom app.routes import items\n\napp = FastAPI()\napp.include_router(items.router, prefix="/items")\n',
      'app/routes/items.py': ROUTES,
      'tests/test_items.py': 'from fastapi import FastAPI\n\nfrom app.routes import items\n\ntest_app = FastAPI()\ntest_app.include_router(items.router)\n',
    });
    expect(detectConfig(root).section).toMatchObject({ aggregator: 'app/main.py', router: 'app' });
  });
});

describe('the walk over the project', () => {
  it('skips environments, caches, migrations and links, and notes what it left out', () => {
    const root = projectWith({
      'app/main.py': 'x = 1\n',
      '.venv/lib/site.py': '',
      'venv/lib/x.py': '',
      'node_modules/pkg/x.py': '',
      'app/__pycache__/main.py': '',
      'migrations/versions/one.py': '',
      'build/lib/x.py': '',
      'app/big.py': `# ${'x'.repeat(300 * 1024)}\n`,
      'app/latin1.py': Buffer.from([0x23, 0xe9, 0x0a]),
    });
    const outside = projectWith({ 'evil/main.py': 'y = 2\n' });
    symlinkSync(path.join(outside, 'evil'), path.join(root, 'linked'));
    symlinkSync(path.join(outside, 'evil/main.py'), path.join(root, 'app/linked.py'));
    const files = readProjectFiles(root);
    expect([...files.python.keys()]).toEqual(['app/main.py']);
    expect(files.notes).toEqual(['app/big.py: left out, larger than 256 KiB', expect.stringMatching(/^app\/latin1\.py: left out, is not valid UTF-8/)]);
  });

  it('stops at its file budget, breadth first and sorted, and says so', () => {
    const root = tempDir();
    for (const name of ['b', 'a', 'c']) {
      mkdirSync(path.join(root, 'pkg'), { recursive: true });
      writeFileSync(path.join(root, 'pkg', `${name}.py`), '');
    }
    writeFileSync(path.join(root, 'top.py'), '');
    const files = readProjectFiles(root, { files: 2, bytesPerFile: 1024, depth: 5 });
    expect([...files.python.keys()]).toEqual(['top.py', 'pkg/a.py']);
    expect(files.notes).toEqual(['read the first 2 Python files only']);
  });
});
