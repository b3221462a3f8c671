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
  /** The variable in the aggregator that features are included into. */
  router: string;
  paths: ArtifactPaths;
  /** The folder of template overrides. */
  templates: string;
}

export const DEFAULT_PRESET = 'modules';

export const PRESETS: Record<string, Blueprint> = {
  modules: {
    preset: 'modules',
    sourceRoot: '.',
    app: 'app.main:app',
    apiPrefix: '/api/v1',
    aggregator: 'app/api/v1/api.py',
    router: 'api_v1_router',
    paths: {
      schema: 'app/api/v1/modules/{feature}/schemas.py',
      service: 'app/api/v1/modules/{feature}/services.py',
      router: 'app/api/v1/modules/{feature}/router.py',
      init: 'app/api/v1/modules/{feature}/__init__.py',
      readme: 'app/api/v1/modules/{feature}/README.md',
      test: 'tests/api/v1/test_{feature}.py',
    },
    templates: '.petsage/templates',
  },
};
