import type { ArtifactPaths, Blueprint } from '../blueprint/presets.js';
import { invalidInput } from '../errors.js';
import type { Feature } from '../payload/payload.js';
import type { AggregatorEdit } from '../python/aggregator.js';

/** One file to render: the template that makes it and where it goes. */
export interface FileSpec {
  template: string;
  path: string;
}

/** The data every feature template sees. */
export interface FeatureContext {
  feature: Feature['names'] & { description: string; requirements: string[] };
  /** Dotted module paths of the generated code and of the app. */
  modules: { schema: string; service: string; router: string; app: string };
  appVar: string;
  /** The response model, also its OpenAPI component name. */
  className: string;
  /** The route's OpenAPI operation id (`<feature>_<operation>`) and its function, unique per feature. */
  operation: { id: string; handler: string };
  summary: string;
  url: string;
  paths: ArtifactPaths;
  /** The body the README shows, in the order the model declares its fields. */
  exampleResponse: { status: 'ok'; feature: string; message: string; timestamp: string };
}

export interface Plan {
  feature: Feature;
  files: FileSpec[];
  aggregator: AggregatorEdit;
  context: FeatureContext;
}

const ARTIFACT_TEMPLATES: Record<keyof ArtifactPaths, string> = {
  schema: 'schema.py.hbs',
  service: 'service.py.hbs',
  router: 'router.py.hbs',
  init: 'init.py.hbs',
  readme: 'readme.md.hbs',
  test: 'test.py.hbs',
};

/** `app/api/v1/modules/x/__init__.py` under source root `.` -> `app.api.v1.modules.x`. */
export function moduleOf(filePath: string, sourceRoot: string): string {
  const relative = sourceRoot === '.' ? filePath : filePath.slice(sourceRoot.replace(/\/$/, '').length + 1);
  return relative.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/').join('.');
}

/** The package a module file belongs to: itself for an `__init__.py`, else its parent. */
export function packageOf(filePath: string, sourceRoot: string): string {
  const module = moduleOf(filePath, sourceRoot);
  return filePath.endsWith('__init__.py') ? module : module.split('.').slice(0, -1).join('.');
}

/**
 * A feature's files are its own: with a name like `main`, a layout such as `app/{feature}.py`
 * would otherwise plan the app or the aggregator itself, for a generate to overwrite and a
 * `remove` to delete.
 */
function assertOwnFiles(files: readonly FileSpec[], blueprint: Blueprint, feature: string, appModule: string): void {
  const root = blueprint.sourceRoot === '.' ? '' : `${blueprint.sourceRoot}/`;
  const appFile = `${root}${appModule.split('.').join('/')}`;
  const owned = new Map([
    [blueprint.aggregator, 'the aggregator'],
    [`${appFile}.py`, 'the app module'],
    [`${appFile}/__init__.py`, 'the app module'],
  ]);
  const clash = files.find((file) => owned.has(file.path));
  if (clash) {
    throw invalidInput(`"${feature}" would generate ${clash.path}, which is ${owned.get(clash.path)}; choose another feature name.`, { path: 'feature' });
  }
}

export function planFeature(feature: Feature, blueprint: Blueprint): Plan {
  const { names } = feature;
  const paths = Object.fromEntries(
    Object.entries(blueprint.paths).map(([kind, template]) => [kind, template.replaceAll('{feature}', names.snake)]),
  ) as unknown as ArtifactPaths;
  const module = (file: string) => moduleOf(file, blueprint.sourceRoot);
  const [appModule, appVar = 'app'] = blueprint.app.split(':') as [string, string?];
  const routerModule = module(paths.init ?? paths.router);

  const files = (Object.keys(ARTIFACT_TEMPLATES) as (keyof ArtifactPaths)[])
    .filter((kind) => paths[kind] !== undefined)
    .map((kind) => ({ template: ARTIFACT_TEMPLATES[kind], path: paths[kind]! }));
  assertOwnFiles(files, blueprint, names.snake, appModule);

  return {
    feature,
    files,
    aggregator: {
      file: blueprint.aggregator,
      routerVar: blueprint.router,
      routerModule,
      aggregatorPackage: packageOf(blueprint.aggregator, blueprint.sourceRoot),
      alias: `${names.snake}_router`,
      segment: `/${names.kebab}`,
      apiPrefix: blueprint.apiPrefix,
      comment: names.title,
    },
    context: {
      feature: { ...names, description: feature.description, requirements: feature.requirements },
      modules: { schema: module(paths.schema), service: module(paths.service), router: module(paths.router), app: appModule },
      appVar,
      className: `${names.pascal}Status`,
      operation: { id: `${names.snake}_status`, handler: `read_${names.snake}_status` },
      summary: `${names.title} status`,
      url: `${blueprint.apiPrefix.replace(/\/$/, '')}/${names.kebab}/`,
      paths,
      exampleResponse: { status: 'ok', feature: names.snake, message: feature.description, timestamp: '2026-01-01T12:00:00Z' },
    },
  };
}
