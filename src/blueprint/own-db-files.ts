import { readContainedText } from '../commit/safe-fs.js';
import { conflict, invalidInput, type Problem } from '../errors.js';
import { migrationsLocation } from '../migrations/location.js';
import { topLevelBindings } from '../python/aggregator.js';
import { parseImport } from '../python/imports.js';
import { hasNameList } from '../python/registry.js';
import { scanPython } from '../python/scan.js';
import { moduleName, parentModule, type OwnDatabase } from './own-db.js';
import type { Blueprint } from './presets.js';

/**
 * The backend's own database layer checked in its files, which are read as text and scanned,
 * never imported or run: each module named under `[tool.petsage.db]` is a file of the project,
 * the base and the session dependency are bound at their module's top level, and the models
 * registry has an `__all__` to add to. Runs only when the table is there.
 */

/** The two files a module can be, relative to the target. */
export function moduleFiles(module: string, sourceRoot: string): [string, string] {
  const base = `${sourceRoot === '.' ? '' : `${sourceRoot}/`}${module.split('.').join('/')}`;
  return [`${base}.py`, `${base}/__init__.py`];
}

/**
 * A module's file and text, as `read` finds it (the disk, or a staged tree): the package's
 * `__init__.py` first, as Python's import system takes a package over a module of its name.
 */
export function readModule(module: string, sourceRoot: string, read: (file: string) => string | undefined): { file: string; source: string } | undefined {
  for (const file of moduleFiles(module, sourceRoot).reverse()) {
    const source = read(file);
    if (source !== undefined) return { file, source };
  }
  return undefined;
}

const notInProject = (module: string, sourceRoot: string) => {
  const [file, init] = moduleFiles(module, sourceRoot);
  return `the module ${module} is not in the project (looked for ${file} and ${init})`;
};

/** Why the module does not bind `name` at top level as the base or the session dependency must be, or undefined. */
function definitionProblem(kind: 'base' | 'session', found: { file: string; source: string }, { module, name }: { module: string; name: string }): string | undefined {
  const { lines, problems } = scanPython(found.source);
  if (problems[0]) return `${found.file} is not valid Python (${problems[0].message}), so it cannot be checked for ${name}`;
  const topLevel = lines.filter((line) => line.indent === '');
  const imports = topLevel.flatMap((line) => parseImport(line) ?? []);
  const packageName = found.file.endsWith('__init__.py') ? module : parentModule(module);
  const binding = topLevelBindings({ topLevel, imports }, packageName).get(name);
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
