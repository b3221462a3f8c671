import { HELPER_MODULE, moduleName, type OwnDatabase } from '../blueprint/own-db.js';
import type { ResourceLayout } from '../blueprint/presets.js';
import type { FileSpec } from './plan.js';

/**
 * Where a resource's generated code takes its database names from: petsage-build's layer
 * (`app.db.base`, `.session`, `.tables`), or the backend's own, named under `[tool.petsage.db]`,
 * with petsage-build's helper module for what the backend's layer does not provide.
 */
export interface DatabaseImports {
  /** The declarative base, bound as `Base` (`from m import Model as Base` when named otherwise). */
  base: ImportedName;
  /** The module of `UTCDateTime`, the timestamp column type. */
  types: string;
  /** The module of `create_db_engine`, which the tests build their engine with. */
  engine: string;
  /** The session dependency, bound as `get_session`: what services get, and tests override. */
  session: ImportedName;
  /** The module of `SessionDep`; undefined when the dependencies spell it out from `get_session`. */
  sessionDep: string | undefined;
  /** The registry's `metadata`, which the tests create tables from; undefined: `Base.metadata`. */
  metadata: ImportedName | undefined;
  /**
   * The model names its constraints (`__table_args__`), as the migration does: the backend's
   * base has a naming convention of its own, which would otherwise name them differently.
   */
  namesConstraints: boolean;
}

/** `from <module> import <name>`, where `name` may be `x as y`. */
export interface ImportedName {
  module: string;
  name: string;
}

/** `name`, imported under `local` when they differ, so generated code uses one fixed name. */
const bound = (name: string, local: string) => (name === local ? name : `${name} as ${local}`);

/** The helper module's file: one per backend, beside the base. */
export const helperFile = (layout: ResourceLayout) => `${layout.db}/${HELPER_MODULE}.py`;

/**
 * The helper module as a file of each resource feature's plan: rendered from the database
 * templates, listed in every own-layer resource's record (so `check` compares it), and removed
 * with the last of them.
 */
export const helperSpec = (layout: ResourceLayout): FileSpec => ({ template: 'petsage_db.py.hbs', path: helperFile(layout), set: 'db' });

export function databaseImports(layout: ResourceLayout, own: OwnDatabase | undefined, module: (file: string) => string): DatabaseImports {
  if (!own) {
    const db = module(`${layout.db}/__init__.py`);
    return {
      base: { module: `${db}.base`, name: 'Base' },
      types: `${db}.base`,
      engine: `${db}.session`,
      session: { module: `${db}.session`, name: 'get_session' },
      sessionDep: `${db}.session`,
      metadata: { module: `${db}.tables`, name: 'metadata' },
      namesConstraints: false,
    };
  }
  const base = moduleName(own.base)!;
  const session = moduleName(own.session)!;
  const helper = module(helperFile(layout));
  return {
    base: { module: base.module, name: bound(base.name, 'Base') },
    types: helper,
    engine: helper,
    session: { module: session.module, name: bound(session.name, 'get_session') },
    sessionDep: undefined,
    metadata: undefined,
    namesConstraints: true,
  };
}
