import { describe, expect, it } from 'vitest';
import { analyse, patchAggregator, type AggregatorEdit } from '../../src/python/aggregator.js';
import { apiMount, DEFAULT_MOUNT, siblingMount } from '../../src/python/siblings.js';
import { mountProblem } from '../../src/python/mount.js';
import { PRESETS } from '../../src/blueprint/presets.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';

const at = { file: 'app/api/main.py', aggregatorPackage: 'app.api' };
const mountOf = (source: string, routerVar: string, modules: Record<string, string> = {}) => siblingMount(analyse(source, at), routerVar, (dotted) => modules[dotted]);

const FULL_STACK_STYLE = [
  'from fastapi import APIRouter',
  '',
  'from app.api.routes import items, login, utils',
  '',
  'api_router = APIRouter()',
  'api_router.include_router(login.router)',
  'api_router.include_router(items.router)',
  'api_router.include_router(utils.router)',
  '',
].join('\n');

describe("the siblings' mount", () => {
  it('is the default without siblings, or when the includes carry the prefix and the modules the title tags', () => {
    expect(mountOf('from fastapi import APIRouter\n\nrouter = APIRouter()\n', 'router')).toEqual(DEFAULT_MOUNT);
    const source = 'from fastapi import APIRouter\n\nfrom app.api.v1 import pets\n\nrouter = APIRouter()\nrouter.include_router(pets.router, prefix="/pets")\n';
    expect(mountOf(source, 'router', { 'app.api.v1.pets': 'router = APIRouter(tags=["Pets"])\n' })).toEqual(DEFAULT_MOUNT);
  });

  it('puts prefix and tags in the module when no include passes a prefix, the tag spelled as the modules spell theirs', () => {
    const modules = { 'app.api.routes.login': 'from fastapi import APIRouter\n\nrouter = APIRouter(tags=["login"])\n', 'app.api.routes.items': 'router = APIRouter(prefix="/items", tags=["items"])\n' };
    expect(mountOf(FULL_STACK_STYLE, 'api_router', modules)).toEqual({ prefix: 'module', tags: 'module', tagStyle: 'kebab', onApp: false });
  });

  it('reads a snake_case or Title Case tag from a module of several words', () => {
    const source = 'from fastapi import APIRouter\n\nfrom app.api.routes import pet_profiles\n\napi_router = APIRouter()\napi_router.include_router(pet_profiles.router)\n';
    expect(mountOf(source, 'api_router', { 'app.api.routes.pet_profiles': 'router = APIRouter(prefix="/pet-profiles", tags=["pet_profiles"])\n' }).tagStyle).toBe('snake');
    expect(mountOf(source, 'api_router', { 'app.api.routes.pet_profiles': 'router = APIRouter(tags=["Pet Profiles"])\n' }).tagStyle).toBe('title');
    // A module that cannot be read or tags nothing leaves the default style.
    expect(mountOf(source, 'api_router').tagStyle).toBe('title');
  });

  it("imports relatively where the first sibling's module does", () => {
    const source = 'from fastapi import APIRouter\n\nfrom .adoptions import router as adoptions_router\n\napi_router = APIRouter()\napi_router.include_router(adoptions_router, prefix="/adoptions")\n';
    expect(mountOf(source, 'api_router', { 'app.api.adoptions': 'from .router import router\n' }).relativeImports).toBe(true);
    expect(mountOf(source, 'api_router', { 'app.api.adoptions': 'from app.api.adoptions.router import router\n' }).relativeImports).toBeUndefined();
  });

  it('passes the tags at include time when every sibling include does, on the app itself', () => {
    const source = 'from fastapi import FastAPI\n\nfrom app.routers import appointments, owners\n\napp = FastAPI()\napp.include_router(appointments.router, prefix="/appointments", tags=["appointments"])\napp.include_router(owners.router, prefix="/owners", tags=["owners"])\n';
    expect(mountOf(source, 'app')).toEqual({ prefix: 'include', tags: 'include', tagStyle: 'kebab', onApp: true });
  });
});

describe('a feature mounted as its siblings are', () => {
  const plan = (mount = DEFAULT_MOUNT) => planFeature(validatePayload({ feature: 'pet_profiles', description: 'Profiles.' }, 'payload'), { ...PRESETS.endpoints!, aggregator: 'app/api/main.py', router: 'api_router', mount });
  const edit = (mount = DEFAULT_MOUNT): AggregatorEdit => ({ ...plan(mount).aggregator, routerModule: 'app.api.routes.pet_profiles', aggregatorPackage: 'app.api' });

  it('gets its prefix and tag in its own router, and an include without them', () => {
    const mount = { prefix: 'module', tags: 'module', tagStyle: 'kebab', onApp: false } as const;
    expect(plan(mount).context.router).toEqual({ line: 'router = APIRouter(prefix="/pet-profiles", tags=["pet-profiles"])', tag: 'pet-profiles' });
    expect(patchAggregator(FULL_STACK_STYLE, edit(mount)).text).toBe(FULL_STACK_STYLE.replace('items, login, utils', 'items, login, pet_profiles, utils').replace('api_router.include_router(utils.router)\n', 'api_router.include_router(utils.router)\napi_router.include_router(pet_profiles.router)\n'));
  });

  it('imports its own modules relatively when its siblings do, across packages too, and absolutely by default', () => {
    const relative = { ...DEFAULT_MOUNT, relativeImports: true as const };
    const flat = plan(relative).context.imports;
    // From app.api.v1.endpoints, four dots reach app.
    expect(flat.router).toBe('from ....models.pet_profiles import PetProfilesStatus\nfrom ....services.pet_profiles import get_status, utc_now');
    expect(flat.service).toBe('from ..models.pet_profiles import PetProfilesStatus');
    const inPackage = planFeature(validatePayload({ feature: 'pet_profiles', description: 'Profiles.' }, 'payload'), { ...PRESETS.modules!, mount: relative }).context.imports;
    expect([inPackage.router, inPackage.service, inPackage.init]).toEqual(['from .schemas import PetProfilesStatus\nfrom .services import get_status, utc_now', 'from .schemas import PetProfilesStatus', 'from .router import router']);
    expect(plan().context.imports.service).toBe('from app.models.pet_profiles import PetProfilesStatus');
  });

  it('keeps the title tag in its router and the prefix in the include by default, as before', () => {
    expect(plan().context.router).toEqual({ line: 'router = APIRouter(tags=["Pet Profiles"])', tag: 'Pet Profiles' });
  });

  it('passes its tag at include time when the siblings do, and its router sets none', () => {
    const mount = { prefix: 'include', tags: 'include', tagStyle: 'snake', onApp: false } as const;
    expect(plan(mount).context.router).toEqual({ line: 'router = APIRouter()', tag: 'pet_profiles' });
    const source = 'from fastapi import APIRouter\n\nfrom app.api.routes import items\n\napi_router = APIRouter()\napi_router.include_router(items.router, prefix="/items", tags=["items"])\n';
    // 93 columns on one line: wrapped as ruff format wraps it at 88.
    expect(patchAggregator(source, edit(mount)).text).toContain('api_router.include_router(\n    pet_profiles.router, prefix="/pet-profiles", tags=["pet_profiles"]\n)\n');
  });

  it('is found mounted by check after a patch in either style, and not once the include passes what the router sets', () => {
    const moduleStyle = { prefix: 'module', tags: 'module', tagStyle: 'kebab', onApp: false } as const;
    const patched = patchAggregator(FULL_STACK_STYLE, edit(moduleStyle)).text;
    expect(mountProblem(analyse(patched, at), edit(moduleStyle), 'api_router')).toBeUndefined();
    const prefixed = patched.replace('include_router(pet_profiles.router)', 'include_router(pet_profiles.router, prefix="/pets")');
    expect(mountProblem(analyse(prefixed, at), edit(moduleStyle), 'api_router')).toBe('mounts the feature at "/pets", where its router sets the prefix');

    const includeTags = { prefix: 'include', tags: 'include', tagStyle: 'snake', onApp: false } as const;
    const source = 'from fastapi import APIRouter\n\nfrom app.api.routes import items\n\napi_router = APIRouter()\napi_router.include_router(items.router, prefix="/items", tags=["items"])\n';
    const tagged = patchAggregator(source, edit(includeTags)).text;
    expect(mountProblem(analyse(tagged, at), edit(includeTags), 'api_router')).toBeUndefined();
    const hidden = tagged.replace('tags=["pet_profiles"]', 'tags=["pet_profiles"], include_in_schema=False');
    expect(mountProblem(analyse(hidden, at), edit(includeTags), 'api_router')).toBe('mounts the feature with include_in_schema=False, which its generated code and tests do not expect');
  });

  it("comments its include with its URL path when each sibling's comment is its path, else with its title", () => {
    const byPath = 'from fastapi import APIRouter\n\nfrom app.api.routes import items, users\n\napi_router = APIRouter()\n# /items\napi_router.include_router(items.router, prefix="/items")\n# /users\napi_router.include_router(users.router, prefix="/users")\n';
    expect(patchAggregator(byPath, edit()).text).toContain('# /users\napi_router.include_router(users.router, prefix="/users")\n# /pet-profiles\napi_router.include_router(pet_profiles.router, prefix="/pet-profiles")\n');
    const byTitle = byPath.replace('# /items', '# Items').replace('# /users', '# Users');
    expect(patchAggregator(byTitle, edit()).text).toContain('# Pet Profiles\napi_router.include_router(pet_profiles.router, prefix="/pet-profiles")\n');
  });
});

describe('what the app mounts the API router under', () => {
  const appAt = { file: 'app/main.py', aggregatorPackage: 'app' };
  const header = 'from fastapi import FastAPI\n\nfrom app.api.main import api_router\nfrom app.core.config import settings\n\n';
  const mounted = (body: string) => apiMount(analyse(`${header}${body}`, appAt), 'app.api.main.api_router');

  it('reads a literal, no prefix, or a settings attribute, at the top level or inside an app factory', () => {
    expect(mounted('app = FastAPI()\napp.include_router(api_router, prefix="/api")\n')).toEqual({ literal: '/api' });
    expect(mounted('app = FastAPI()\napp.include_router(api_router)\n')).toEqual({ literal: '' });
    expect(mounted('app = FastAPI()\napp.include_router(api_router, prefix=settings.API_V1_STR)\n')).toEqual({ from: { module: 'app.core.config', name: 'settings', attribute: 'API_V1_STR' } });
    const factory = 'def create_app() -> FastAPI:\n    application = FastAPI()\n    application.include_router(api_router, prefix=settings.api_prefix)\n    return application\n\n\napp = create_app()\n';
    expect(mounted(factory)).toEqual({ from: { module: 'app.core.config', name: 'settings', attribute: 'api_prefix' } });
  });

  it('says nothing it cannot read: a computed prefix, or an app that does not include the router', () => {
    expect(mounted('app = FastAPI()\napp.include_router(api_router, prefix=f"/api/{VERSION}")\n')).toEqual({});
    expect(mounted('app = FastAPI()\n')).toBeUndefined();
  });
});
