import type { Blueprint, ResourceLayout } from '../blueprint/presets.js';
import { readModule } from '../blueprint/module-files.js';
import { utcContext, utcSpelling } from '../python/code-style.js';
import { moduleOf } from './plan.js';
import type { FileSpec } from './plan.js';
import type { Feature } from '../payload/payload.js';
import type { RegistryEntry } from '../python/registry.js';

/**
 * The database layer a backend has once, whatever its resources: the declarative base and the
 * UTC timestamp type, the engine and the session dependency, the models registry, and Alembic's
 * settings and environment. `init` writes it; a resource feature adds what is missing of it.
 */
export interface DbLayerPlan {
  files: FileSpec[];
  context: DbLayerContext;
}

export interface DbLayerContext {
  db: {
    /** Dotted module of the database package: `app.db`. */
    module: string;
    sessionFile: string;
    /** Alembic's `prepend_sys_path`: the import root. */
    sysPath: string;
  };
  utc: ReturnType<typeof utcContext>;
}

/** A resource feature's line in the models registry: its model's module and class. */
export function registryEntry(feature: Feature, blueprint: Blueprint, layout: ResourceLayout): RegistryEntry {
  return { module: moduleOf(layout.model.replaceAll('{feature}', feature.names.snake), blueprint.sourceRoot), name: feature.resource!.names.classes.model };
}

/** The models registry, which each resource feature adds its model's import to. */
export const registryFile = (layout: ResourceLayout) => `${layout.db}/tables.py`;

/**
 * The models registry and its text, as `read` finds it: petsage-build's `tables.py`, or the
 * module named under `[tool.petsage.db] models` (a module file or a package's `__init__.py`).
 */
export function modelsRegistry(blueprint: Blueprint & { resource: ResourceLayout }, read: (file: string) => string | undefined): { file: string; source: string } | undefined {
  if (blueprint.db) return readModule(blueprint.db.models, blueprint.sourceRoot, read);
  const file = registryFile(blueprint.resource);
  const source = read(file);
  return source === undefined ? undefined : { file, source };
}

export function planDbLayer(blueprint: Blueprint & { resource: ResourceLayout }): DbLayerPlan {
  const { db, migrations } = blueprint.resource;
  const files: FileSpec[] = [
    { template: '__init__.py.hbs', path: `${db}/__init__.py` },
    { template: 'base.py.hbs', path: `${db}/base.py` },
    { template: 'session.py.hbs', path: `${db}/session.py` },
    { template: 'tables.py.hbs', path: registryFile(blueprint.resource) },
    { template: 'alembic.ini.hbs', path: 'alembic.ini' },
    { template: 'env.py.hbs', path: `${migrations}/env.py` },
    { template: 'script.py.mako.hbs', path: `${migrations}/script.py.mako` },
  ];
  return {
    files,
    context: {
      db: { module: moduleOf(`${db}/__init__.py`, blueprint.sourceRoot), sessionFile: `${db}/session.py`, sysPath: blueprint.sourceRoot },
      utc: utcContext(utcSpelling(blueprint.pythonFloor)),
    },
  };
}
