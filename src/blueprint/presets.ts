import type { OwnDatabase } from './own-db.js';
import type { Mount } from '../python/siblings.js';

/**
 * Where each artifact of a feature goes, and where the feature is wired in.
 * Paths use `{feature}` for the snake_case name and are relative to the target root.
 */
export interface ArtifactPaths {
  schema: string;
  service: string;
  router: string;
  /** The package `__init__.py` that re-exports `router`; absent when the router is a plain module. */
  init?: string;
  readme: string;
  test: string;
}

/**
 * Where a resource feature's persistence goes: its files beside the feature's (paths with
 * `{feature}`), and the backend's database layer and migrations, shared by every resource.
 */
export interface ResourceLayout {
  /** The SQLAlchemy model. */
  model: string;
  repository: string;
  /** The `Annotated[..., Depends(...)]` aliases of the feature's service. */
  dependencies: string;
  /**
   * The folder of petsage-build's database modules: the package `app/db` (base.py, session.py,
   * tables.py); with the backend's own layer, the package of its base, where petsage_db.py goes.
   */
  db: string;
  /** The Alembic script folder, with `versions/` in it; with the backend's own layer, its alembic.ini's. */
  migrations: string;
}

export interface Blueprint {
  preset: string;
  /** The import root: `.` or `src`. */
  sourceRoot: string;
  /** `module:variable` of the FastAPI app. */
  app: string;
  /** The URL prefix the aggregator's router is mounted under. */
  apiPrefix: string;
  /** The aggregator's path. */
  aggregator: string;
  /** The variable in the aggregator that features are included into; undefined to detect it. */
  router: string | undefined;
  paths: ArtifactPaths;
  /** The folder of template overrides. */
  templates: string;
  /** The Python `--verify` runs, when the target has no `.venv`. */
  python?: string;
  /** Ruff's `line-length` in the target, when set (else ruff's 88): generated code is laid out for it. */
  lineLength?: number;
  /**
   * The oldest Python the target supports (ruff's `target-version`, else `requires-python`), as
   * `3.N`, kept only from 3.11, where generated code spells UTC `datetime.UTC`; below it, the
   * code is the same for every floor, and records stay as they were.
   */
  pythonFloor?: string;
  /** A conftest.py the feature tests see provides a `client` fixture, which they then use. */
  clientFixture?: boolean;
  /** How the backend's features are mounted, when not the default (prefix in the include, a title tag in the module). */
  mount?: Mount;
  /**
   * `module:callable` dependencies every generated router declares (`route_dependencies`, such
   * as authentication), which the generated tests override. An `Annotated[..., Depends(f)]`
   * alias named in the config is resolved to its `f`.
   */
  routeDependencies?: string[];
  /** Where resources persist; kept in the records of resource features only. */
  resource?: ResourceLayout;
  /**
   * The backend's own database layer (`[tool.petsage.db]`), which resources then build on
   * instead of petsage-build's; kept in the records of resource features only.
   */
  db?: OwnDatabase;
}

export const DEFAULT_PRESET = 'modules';

const preset = (blueprint: Omit<Blueprint, 'templates' | 'apiPrefix'>): Blueprint => ({
  apiPrefix: '/api/v1',
  templates: '.petsage/templates',
  ...blueprint,
});

/** The five layouts PetSage backends were built in, named after the seed documents' shapes, and one for backends made from the full-stack template. */
export const PRESETS: Record<string, Blueprint> = {
  modules: preset({
    preset: 'modules',
    sourceRoot: '.',
    app: 'app.main:app',
    aggregator: 'app/api/v1/api.py',
    router: 'api_v1_router',
    resource: { model: 'app/api/v1/modules/{feature}/models.py', repository: 'app/api/v1/modules/{feature}/repository.py', dependencies: 'app/api/v1/modules/{feature}/dependencies.py', db: 'app/db', migrations: 'migrations' },
    paths: {
      schema: 'app/api/v1/modules/{feature}/schemas.py',
      service: 'app/api/v1/modules/{feature}/services.py',
      router: 'app/api/v1/modules/{feature}/router.py',
      init: 'app/api/v1/modules/{feature}/__init__.py',
      readme: 'app/api/v1/modules/{feature}/README.md',
      test: 'tests/api/v1/test_{feature}.py',
    },
  }),
  layered: preset({
    preset: 'layered',
    sourceRoot: 'src',
    app: 'petsage.main:app',
    aggregator: 'src/petsage/main.py',
    router: 'app',
    resource: { model: 'src/petsage/tables/{feature}.py', repository: 'src/petsage/repositories/{feature}.py', dependencies: 'src/petsage/dependencies/{feature}.py', db: 'src/petsage/db', migrations: 'migrations' },
    paths: {
      schema: 'src/petsage/models/{feature}.py',
      service: 'src/petsage/services/{feature}_service.py',
      router: 'src/petsage/routers/{feature}.py',
      readme: 'docs/features/{feature}.md',
      test: 'tests/routers/test_{feature}.py',
    },
  }),
  features: preset({
    preset: 'features',
    sourceRoot: '.',
    app: 'main:app',
    aggregator: 'main.py',
    router: 'app',
    resource: { model: 'features/{feature}/tables.py', repository: 'features/{feature}/repository.py', dependencies: 'features/{feature}/dependencies.py', db: 'db', migrations: 'migrations' },
    paths: {
      schema: 'features/{feature}/models.py',
      service: 'features/{feature}/service.py',
      router: 'features/{feature}/router.py',
      init: 'features/{feature}/__init__.py',
      readme: 'features/{feature}/README.md',
      test: 'tests/features/test_{feature}.py',
    },
  }),
  endpoints: preset({
    preset: 'endpoints',
    sourceRoot: '.',
    app: 'app.main:app',
    aggregator: 'app/api/v1/api.py',
    router: 'api_v1_router',
    resource: { model: 'app/tables/{feature}.py', repository: 'app/repositories/{feature}.py', dependencies: 'app/dependencies/{feature}.py', db: 'app/db', migrations: 'migrations' },
    paths: {
      schema: 'app/models/{feature}.py',
      service: 'app/services/{feature}.py',
      router: 'app/api/v1/endpoints/{feature}.py',
      readme: 'docs/features/{feature}.md',
      test: 'tests/api/v1/test_{feature}.py',
    },
  }),
  'src-features': preset({
    preset: 'src-features',
    sourceRoot: 'src',
    app: 'petsage.main:app',
    aggregator: 'src/petsage/main.py',
    router: 'app',
    resource: { model: 'src/petsage/features/{feature}/tables.py', repository: 'src/petsage/features/{feature}/repository.py', dependencies: 'src/petsage/features/{feature}/dependencies.py', db: 'src/petsage/db', migrations: 'migrations' },
    paths: {
      schema: 'src/petsage/features/{feature}/models.py',
      service: 'src/petsage/features/{feature}/service.py',
      router: 'src/petsage/features/{feature}/router.py',
      init: 'src/petsage/features/{feature}/__init__.py',
      readme: 'src/petsage/features/{feature}/README.md',
      test: 'tests/features/test_{feature}.py',
    },
  }),
  /**
   * The layout of the best-known full-stack FastAPI template's backend, for backends made from it:
   * flat route modules that set their own prefix and tags, mounted by `api_router` under
   * `settings.API_V1_STR`. `init` does not write it, and it says nothing of resources: the
   * template's models and Alembic history are its own, which resources do not build on yet.
   */
  'full-stack': preset({
    preset: 'full-stack',
    sourceRoot: '.',
    app: 'app.main:app',
    aggregator: 'app/api/main.py',
    router: 'api_router',
    paths: {
      schema: 'app/schemas/{feature}.py',
      service: 'app/services/{feature}.py',
      router: 'app/api/routes/{feature}.py',
      readme: 'docs/features/{feature}.md',
      test: 'tests/api/routes/test_{feature}.py',
    },
  }),
};

/**
 * What `init` writes for each preset: layers of templates/project/, later layers adding to
 * earlier ones, so that presets sharing a skeleton share its files. A preset absent here is for
 * existing backends only.
 */
export const PROJECT_LAYERS: Record<string, readonly string[]> = {
  modules: ['common', 'app-api-v1', 'modules'],
  endpoints: ['common', 'app-api-v1', 'endpoints'],
  layered: ['common', 'src-petsage', 'layered'],
  'src-features': ['common', 'src-petsage', 'src-features'],
  features: ['common', 'features'],
};
