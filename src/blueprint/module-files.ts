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
export const isTestFile = (file: string) => /(^|\/)(tests?)\//.test(file) || /(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/.test(file);
