import { publishedDescription } from '../python/fastapi-text.js';
import type { ArtifactPaths, Blueprint, ResourceLayout } from '../blueprint/presets.js';
import { invalidInput } from '../errors.js';
import type { Feature } from '../payload/payload.js';
import type { AggregatorEdit } from '../python/aggregator.js';
import { codeStyle, fromDatetime, utcContext } from '../python/code-style.js';
import { markdownListItem } from '../render/markdown.js';
import { deriveNames } from '../payload/naming.js';
import { resourceContext, type ParentLookup, type ResourceContext } from './resource-context.js';
import { resourceReadme } from './resource-readme.js';
import { databaseImports, helperSpec } from './database-imports.js';
import { createRevisionIdOf } from './resource-columns.js';
import { dependenciesArg, routeDependenciesOf, routerArgs, routerMount, testUrl } from './mount.js';
import { fromImportsBlock, group, layout as laidOut, projectImports } from '../python/layout.js';
import { relativeModule } from '../python/imports.js';

/** One file to render: the template that makes it and where it goes. */
export interface FileSpec {
  template: string;
  path: string;
  /** The template set that renders it when not the feature's: `db`, the database layer's. */
  set?: 'db';
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
  /**
   * The endpoint's OpenAPI description (the feature's, then its requirements as a Markdown list),
   * and what FastAPI publishes of it.
   */
  openapi: { description: string; published: string };
  /** Ruff's line length in the target, which the Python helpers lay code out for. */
  lineLength: number;
  /** UTC as the target's Python floor spells it, and the import of `datetime` and it (see code-style.ts). */
  utc: ReturnType<typeof utcContext>;
  /** The project's conftest provides a `client` fixture for the tests to use. */
  clientFixture: boolean;
  /** `router = APIRouter(...)`, setting what the backend's routers set (see mount.ts), and the tag the operations carry. */
  router: { line: string; tag: string };
  /** The feature's URL as the tests write it, and the name they import to build it, when the API is mounted under a settings value. */
  testUrl: string;
  urlFrom?: { module: string; name: string };
  /** The dependencies every route of the feature has (`route_dependencies`), which its tests override. */
  routeDependencies: { module: string; name: string }[];
  /** The project imports of the router, the service, the package's `__init__.py` and the test module, in isort's order. */
  imports: { datetime: string; router: string; service: string; init: string; test: string };
  /** For a resource feature: what its templates print (see resource-context.ts). */
  r?: ResourceContext & { readme: ReturnType<typeof resourceReadme>; files: Record<string, string> };
}

export interface Plan {
  feature: Feature;
  files: FileSpec[];
  /** A resource feature's migration, rendered once its down revision is known (under the lock). */
  migration?: FileSpec & { revision: string };
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
  const file = relative.endsWith('.py') ? relative.slice(0, -'.py'.length) : relative;
  return (file.endsWith('/__init__') ? file.slice(0, -'/__init__'.length) : file).replaceAll('/', '.');
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


/** The feature's description, then its requirements as a Markdown list: free text, never interpreted. */
function openapiDescription(description: string, requirements: readonly string[]): string {
  if (requirements.length === 0) return description;
  return `${description}\n\nRequirements:\n\n${requirements.map((requirement) => `- ${markdownListItem(requirement)}`).join('\n')}`;
}

const RESOURCE_TEMPLATES: Record<string, string> = {
  schema: 'resource/schemas.py.hbs',
  service: 'resource/services.py.hbs',
  router: 'resource/router.py.hbs',
  init: 'resource/init.py.hbs',
  readme: 'resource/readme.md.hbs',
  test: 'resource/test.py.hbs',
  model: 'resource/models.py.hbs',
  repository: 'resource/repository.py.hbs',
  dependencies: 'resource/dependencies.py.hbs',
};

/** The resources a feature's refs name, by feature: none known unless given. */
const NO_PARENTS: ParentLookup = () => undefined;

/** The top package a path lies in under the source root: `app` for `app/api/routes/{feature}.py`. */
const topPackage = (file: string, sourceRoot: string) => moduleOf(file, sourceRoot).split('.')[0];

/**
 * A resource's own files (model, repository, dependencies) go where the blueprint's resource
 * layout puts them, which the config moves into the features' package
 * (src/blueprint/resource-packages.ts); a blueprint that leaves them in another package would
 * have them land apart from the features and not import (exit 2).
 */
function assertResourceFits(layout: ResourceLayout, blueprint: Blueprint): void {
  const feature = topPackage(blueprint.paths.router, blueprint.sourceRoot);
  const model = topPackage(layout.model, blueprint.sourceRoot);
  if (feature === model) return;
  throw invalidInput(`the layout puts the feature's files in the package ${feature}, and a resource's model, repository and dependencies would go to ${layout.model.replaceAll('{feature}', '<feature>')}, the "${blueprint.preset}" preset's, which this backend does not have.`, {
    path: 'resource',
    hints: ['Generate the feature without its resource block: resources need a layout whose packages are the preset\'s, as init writes them.'],
  });
}

/** Where a resource's create revision is written. */
export const createMigrationPath = (layout: ResourceLayout, revision: string, table: string) => `${layout.migrations}/versions/${revision}_create_${table}.py`;

/**
 * `createRevision`: a resource feature's create revision as its record names it, which stays
 * the revision of the feature's table whatever the payload says since; else one derived from
 * the table the payload creates (see createRevisionId).
 */
export function planFeature(feature: Feature, blueprint: Blueprint, parents: ParentLookup = NO_PARENTS, createRevision?: string): Plan {
  const { names } = feature;
  const paths = Object.fromEntries(
    Object.entries(blueprint.paths).map(([kind, template]) => [kind, template.replaceAll('{feature}', names.snake)]),
  ) as unknown as ArtifactPaths;
  const module = (file: string) => moduleOf(file, blueprint.sourceRoot);
  const [appModule, appVar = 'app'] = blueprint.app.split(':') as [string, string?];
  const routerModule = module(paths.init ?? paths.router);
  const openapi = openapiDescription(feature.description, feature.requirements);

  const resource = feature.resource;
  if (resource && !blueprint.resource) {
    throw invalidInput(`the "${blueprint.preset}" layout takes status features only: it does not say where resources persist.`, {
      path: 'resource',
      hints: [
        'Generate the feature without its resource block, or resources into a backend in one of the layouts init writes;',
        'or base the config on such a preset with this backend\'s aggregator, router and paths: `petsage-build config --detect --aggregator <file> --router <variable>` prints them.',
      ],
    });
  }
  const layout = resource && blueprint.resource ? blueprint.resource : undefined;
  if (resource && layout) assertResourceFits(layout, blueprint);
  const resourcePaths = layout ? { model: layout.model.replaceAll('{feature}', names.snake), repository: layout.repository.replaceAll('{feature}', names.snake), dependencies: layout.dependencies.replaceAll('{feature}', names.snake) } : undefined;
  const allPaths: Record<string, string | undefined> = { ...paths, ...resourcePaths };
  const files = (Object.keys(resource ? RESOURCE_TEMPLATES : ARTIFACT_TEMPLATES) as string[])
    .filter((kind) => allPaths[kind] !== undefined)
    .map((kind) => ({ template: (resource ? RESOURCE_TEMPLATES : (ARTIFACT_TEMPLATES as Record<string, string>))[kind]!, path: allPaths[kind]! }));
  const url = `${blueprint.apiPrefix.replace(/\/$/, '')}/${names.kebab}/`;
  const style = codeStyle(blueprint);
  const { lineLength } = style;
  const mount = routerMount(names, blueprint);
  const dependencies = routeDependenciesOf(blueprint);
  // One module of the feature importing another: relatively where the siblings' modules do.
  const spelled = (target: string, from: string) => (blueprint.mount?.relativeImports ? relativeModule(module(target), packageOf(from, blueprint.sourceRoot)) : module(target));
  let r: FeatureContext['r'];
  let migration: Plan['migration'];
  if (resource && layout && resourcePaths) {
    const modelModuleOf = (other: string) => module(layout.model.replaceAll('{feature}', other));
    const database = databaseImports(layout, blueprint.db, module);
    const modules = { schema: module(paths.schema), service: module(paths.service), router: module(paths.router), model: module(resourcePaths.model), repository: module(resourcePaths.repository), dependencies: module(resourcePaths.dependencies), database, app: appModule, appVar };
    // With the backend's own database layer, what the generated code needs of petsage-build's: one shared module.
    if (blueprint.db) files.push(helperSpec(layout));
    const urlOf = (other: string) => `${blueprint.apiPrefix.replace(/\/$/, '')}/${deriveNames(other).kebab}/`;
    const context = resourceContext(feature, resource, modules, url, style, parents, modelModuleOf, urlOf, mount, dependencies);
    const revision = createRevision ?? createRevisionIdOf(names.snake, resource.names.table, context.migration.signature);
    context.migration.revision = revision;
    migration = { template: 'resource/migration.py.hbs', path: createMigrationPath(layout, revision, resource.names.table), revision };
    r = { ...context, readme: resourceReadme(names.snake, resource, url, parents), files: { ...allPaths, migration: migration.path } as Record<string, string> };
  }
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
      lineLength,
      ...(mount.prefix !== undefined && { prefixInModule: true }),
      ...(mount.includeTag !== undefined && { tag: mount.includeTag }),
    },
    context: {
      feature: { ...names, description: feature.description, requirements: feature.requirements },
      modules: { schema: module(paths.schema), service: module(paths.service), router: module(paths.router), app: appModule },
      appVar,
      className: `${names.pascal}Status`,
      operation: { id: `${names.snake}_status`, handler: `read_${names.snake}_status` },
      summary: `${names.title} status`,
      url,
      paths,
      exampleResponse: { status: 'ok', feature: names.snake, message: feature.description, timestamp: '2026-01-01T12:00:00Z' },
      openapi: { description: openapi, published: publishedDescription(openapi) },
      lineLength,
      utc: utcContext(style.utc),
      clientFixture: blueprint.clientFixture === true,
      router: { line: laidOut(group('router = APIRouter', [...routerArgs(mount), ...dependenciesArg(dependencies)]), '', lineLength), tag: mount.expectedTag },
      testUrl: testUrl(mount, blueprint.apiPrefix, `/${names.kebab}/`),
      ...(mount.prefixFrom && { urlFrom: { module: mount.prefixFrom.module, name: mount.prefixFrom.name } }),
      routeDependencies: dependencies,
      imports: {
        datetime: fromDatetime(style.utc, 'datetime', 'timedelta'),
        router: projectImports([[spelled(paths.schema, paths.router), `${names.pascal}Status`], [spelled(paths.service, paths.router), 'get_status, utc_now'], ...dependencies.map(({ module: from, name }) => [from, name] as const)], lineLength),
        service: projectImports([[spelled(paths.schema, paths.service), `${names.pascal}Status`]], lineLength),
        init: paths.init === undefined ? '' : projectImports([[spelled(paths.router, paths.init), 'router']], lineLength),
        test: fromImportsBlock(
          [
            [appModule, appVar],
            [module(paths.service), 'utc_now'],
            ...(mount.prefixFrom ? [[mount.prefixFrom.module, mount.prefixFrom.name] as const] : []),
            ...dependencies.map(({ module: from, name }) => [from, name] as const),
            ...(dependencies.length > 0 ? [[routerModule, 'router'] as const] : []),
          ],
          lineLength,
        ),
      },
      ...(r && { r }),
    },
    ...(migration && { migration }),
  };
}
