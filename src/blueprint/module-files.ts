import { topLevelBindings, type TopLevelBinding } from '../python/aggregator.js';
import { parseImport } from '../python/imports.js';
import { scanPython } from '../python/scan.js';
import { parentModule } from './own-db.js';
import type { ProjectFiles } from './project-files.js';

/** The import roots a backend may use: its root, or `src/` (a src layout). */
export const SOURCE_ROOTS = ['.', 'src'] as const;
export type SourceRoot = (typeof SOURCE_ROOTS)[number];

/** Where a dotted module lives: its file, and the import root it was found under. */
export interface ModuleFile {
  file: string;
  root: SourceRoot;
  /** An `__init__.py`: the module is a package. */
  isPackage: boolean;
}

/**
 * The file of `dotted` under one of the import roots, a module before a package, or undefined
 * when the project holds neither (an installed library such as `fastapi`).
 */
export function moduleFile(files: ProjectFiles, dotted: string, roots: readonly SourceRoot[] = SOURCE_ROOTS): ModuleFile | undefined {
  const relative = dotted.split('.').join('/');
  for (const root of roots) {
    const base = root === '.' ? relative : `${root}/${relative}`;
    if (files.python.has(`${base}.py`)) return { file: `${base}.py`, root, isPackage: false };
    if (files.python.has(`${base}/__init__.py`)) return { file: `${base}/__init__.py`, root, isPackage: true };
  }
  return undefined;
}

/** `a/b/c.py` under `src` is `a.b.c` when it lies under `src/`; `a/b/__init__.py` is `a.b`. */
export function dottedModule(file: string, root: SourceRoot): string | undefined {
  if (root !== '.' && !file.startsWith(`${root}/`)) return undefined;
  const relative = root === '.' ? file : file.slice(root.length + 1);
  return relative.replace(/\.py$/, '').replace(/(^|\/)__init__$/, '').split('/').join('.');
}

/** Test modules and conftest files: a test's own app or router is not the backend's. */
/** The folder of the top package a path is in: `app` for `app/api/routes`, `src/app` for `src/app/routers/x.py` under source root `src`. */
export function topPackageFolder(pathInRoot: string, sourceRoot: string): string {
  const inRoot = sourceRoot === '.' ? pathInRoot : pathInRoot.slice(sourceRoot.length + 1);
  const top = inRoot.split('/')[0]!;
  return sourceRoot === '.' ? top : `${sourceRoot}/${top}`;
}

export const isTestFile = (file: string) => /(^|\/)(tests?)\//.test(file) || /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(file);

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

export const notInProject = (module: string, sourceRoot: string) => {
  const [file, init] = moduleFiles(module, sourceRoot);
  return `the module ${module} is not in the project (looked for ${file} and ${init})`;
};

/**
 * The names a module binds at its top level (see topLevelBindings), its relative imports read
 * from its own package; the scanner's complaint when it is not valid Python.
 */
export function moduleBindings(found: { file: string; source: string }, module: string): Map<string, TopLevelBinding> | { problem: string } {
  const { lines, problems } = scanPython(found.source);
  if (problems[0]) return { problem: problems[0].message };
  const topLevel = lines.filter((line) => line.indent === '');
  const imports = topLevel.flatMap((line) => parseImport(line) ?? []);
  return topLevelBindings({ topLevel, imports }, found.file.endsWith('__init__.py') ? module : parentModule(module));
}
