import type { Problem } from '../errors.js';
import { isPlainObject } from '../data.js';
import { unknownName } from '../suggest.js';
import { isIdentifier } from './identifiers.js';

/**
 * `[tool.petsage.db]`: the backend's own database layer, which resource features then build on
 * instead of writing petsage-build's (`<pkg>/db/`, alembic.ini, migrations/env.py). Each value
 * becomes an import in generated code, so each is checked as one: here its shape, with no disk
 * (a record's blueprint is checked the same way); in own-db-files.ts, that it names what the
 * backend's files define.
 */
export interface OwnDatabase {
  /** `module:Name` of the SQLAlchemy 2.0 `DeclarativeBase` subclass the models subclass. */
  base: string;
  /** `module:name` of the FastAPI dependency yielding a `Session`: services take it, tests override it. */
  session: string;
  /** The module the backend's Alembic env imports every table through; each model is added to it. */
  models: string;
}

export const OWN_DB_KEYS: readonly (keyof OwnDatabase)[] = ['base', 'session', 'models'];

/**
 * The module petsage-build writes once beside the base, with what every resource's generated
 * code shares and the backend's own layer does not provide: the UTC timestamp column type and
 * the engine the tests build. One module, so the code is not copied into each feature.
 */
export const HELPER_MODULE = 'petsage_db';

/** `app.core.database:Base` -> its module and name. */
export interface ModuleName {
  module: string;
  name: string;
}

const SNAKE_SEGMENT = /^[a-z_][a-z0-9_]*$/;
const isModule = (dotted: string) => dotted.split('.').every((segment) => SNAKE_SEGMENT.test(segment) && isIdentifier(segment));

/** `module:name` split, or undefined when it is not dotted snake_case modules and an identifier. */
export function moduleName(value: unknown): ModuleName | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split(':');
  if (parts.length !== 2 || !isModule(parts[0]!) || !isIdentifier(parts[1]!)) return undefined;
  return { module: parts[0]!, name: parts[1]! };
}

/** The module a dotted module path belongs to: `app.core.database` -> `app.core`; '' at the top. */
export const parentModule = (module: string) => module.split('.').slice(0, -1).join('.');

/**
 * Where the helper module goes: the folder of the package the base's module is in, so the
 * base and the helper sit side by side (`app/core/database.py`, `app/core/petsage_db.py`).
 */
export function helperFolder(base: ModuleName, sourceRoot: string): string {
  const folder = parentModule(base.module).split('.').join('/');
  return sourceRoot === '.' ? folder : `${sourceRoot}/${folder}`;
}

const EXAMPLES: Record<keyof OwnDatabase, string> = {
  base: 'the declarative base the models subclass, e.g. "app.core.database:Base"',
  session: 'the dependency that yields a Session, e.g. "app.core.database:get_session"',
  models: 'the module your Alembic env imports every model through, e.g. "app.models"',
};

/**
 * Every problem of the `db` table's shape, `key` spelling its keys (`tool.petsage.db.base`,
 * `blueprint.db.base`): unknown keys (with a suggestion), missing ones, wrong types, values
 * that are not imports, and modules that would import each other in a circle.
 */
export function ownDatabaseProblems(value: unknown, key: (name: string) => string): Problem[] {
  if (!isPlainObject(value)) return [{ path: key('db'), message: 'must be a table with the keys base, session and models' }];
  const problems: Problem[] = Object.keys(value)
    .filter((name) => !(OWN_DB_KEYS as readonly string[]).includes(name))
    .map((name) => ({ path: key(`db.${name}`), message: unknownName(name, OWN_DB_KEYS, 'key') }));
  const modules = new Map<keyof OwnDatabase, string>();
  for (const name of OWN_DB_KEYS) {
    const where = key(`db.${name}`);
    const given = value[name];
    if (given === undefined) problems.push({ path: where, message: `is missing; name ${EXAMPLES[name]}` });
    else if (typeof given !== 'string') problems.push({ path: where, message: 'must be a string' });
    else if (name === 'models' ? !isModule(given) : moduleName(given) === undefined) {
      const shape = name === 'models' ? 'a dotted module of snake_case names' : '"dotted.module:name" (snake_case modules, then a Python name)';
      problems.push({ path: where, message: `must be ${shape}: ${EXAMPLES[name]}` });
    } else modules.set(name, name === 'models' ? given : moduleName(given)!.module);
  }
  const base = modules.get('base');
  if (base !== undefined && parentModule(base) === '') {
    problems.push({ path: key('db.base'), message: `must be in a package (e.g. "app.core.database:Base"): petsage-build writes ${HELPER_MODULE}.py beside it` });
  }
  for (const [name, module] of modules) {
    if (module.split('.').at(-1) === HELPER_MODULE) problems.push({ path: key(`db.${name}`), message: `must not be a ${HELPER_MODULE} module, the name of the module petsage-build writes beside the base` });
  }
  const models = modules.get('models');
  if (models !== undefined && (models === base || models === modules.get('session'))) {
    problems.push({ path: key('db.models'), message: 'must be a module of its own: it imports every model, and each model imports the base and the session dependency, so one module holding both would import itself in a circle' });
  }
  return problems;
}
