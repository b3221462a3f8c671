import { readContainedText } from '../commit/safe-fs.js';
import { conflict, invalidInput, type Problem } from '../errors.js';
import { migrationsLocation } from '../migrations/location.js';
import { hasNameList } from '../python/registry.js';
import { moduleBindings, notInProject, readModule } from './module-files.js';
import { moduleName, type OwnDatabase } from './own-db.js';
import type { Blueprint } from './presets.js';

/**
 * The backend's own database layer checked in its files, which are read as text and scanned,
 * never imported or run: each module named under `[tool.petsage.db]` is a file of the project,
 * the base and the session dependency are bound at their module's top level, and the models
 * registry has an `__all__` to add to. Runs only when the table is there.
 */

/** Why the module does not bind `name` at top level as the base or the session dependency must be, or undefined. */
function definitionProblem(kind: 'base' | 'session', found: { file: string; source: string }, { module, name }: { module: string; name: string }): string | undefined {
  const bindings = moduleBindings(found, module);
  if ('problem' in bindings) return `${found.file} is not valid Python (${bindings.problem}), so it cannot be checked for ${name}`;
  const binding = bindings.get(name);
  if (binding === undefined) {
    const what = kind === 'base' ? 'the declarative base (`class Base(DeclarativeBase): ...`)' : 'the session dependency (`def get_session() -> Iterator[Session]: ...`)';
    return `${module} does not define ${name} at its top level (${found.file}); name ${what} as it is defined there`;
  }
  const texts = binding.line.tokens.map((token) => token.text);
  if (kind === 'base' && texts[0] === 'class' && texts.includes('MappedAsDataclass')) {
    return `${name} is a MappedAsDataclass base, whose models take their fields in a fixed order; the generated code builds models from keywords, so name a plain DeclarativeBase subclass`;
  }
  if (kind === 'session' && texts[0] === 'async') return `${name} is an async def; the generated routes and services are sync, so name a dependency that yields a sqlalchemy.orm.Session`;
  return undefined;
}

/**
 * Every problem of the layer's files at once (exit 2, naming each key), then the Alembic script
 * folder its alembic.ini names, where resources add their revisions.
 */
export function checkOwnDatabase(root: string, blueprint: Blueprint & { db: OwnDatabase }, key: (name: string) => string, file: string): string {
  const read = (relative: string) => readContainedText(root, relative);
  const { db, sourceRoot } = blueprint;
  const problems: Problem[] = [];
  for (const kind of ['base', 'session'] as const) {
    const named = moduleName(db[kind])!;
    const found = readModule(named.module, sourceRoot, read);
    const problem = found ? definitionProblem(kind, found, named) : notInProject(named.module, sourceRoot);
    if (problem) problems.push({ path: key(`db.${kind}`), message: problem });
  }
  const registry = readModule(db.models, sourceRoot, read);
  if (!registry) problems.push({ path: key('db.models'), message: notInProject(db.models, sourceRoot) });
  else if (!hasNameList(registry.source)) {
    problems.push({ path: key('db.models'), message: `${registry.file} has no \`__all__ = [...]\` list of names; add one naming what it imports, as each resource adds its model to it (ruff refuses an import nothing uses)` });
  }
  const versions = problems.length > 0 ? undefined : migrationsLocation(root);
  if (problems.length === 0 && versions === undefined) {
    problems.push({ path: key('db'), message: "the backend has no alembic.ini at its root; resources add their migrations to the Alembic history of the backend's own database layer" });
  }
  if (problems.length > 0) throw invalidInput('the petsage config is invalid.', { path: file, problems, hints: [`Fix the keys under ${key('db')}, or remove it to have petsage-build write its own database layer.`] });
  if (!versions!.endsWith('/versions')) {
    throw conflict(`the backend's Alembic revisions are in ${versions}, not in a versions folder of its script_location; petsage-build writes revisions to <script_location>/versions.`, {
      path: 'alembic.ini',
      hints: ['Leave version_locations out of alembic.ini, or point it at <script_location>/versions.'],
    });
  }
  return versions!.slice(0, -'/versions'.length);
}
