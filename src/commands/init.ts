import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PRESET } from '../blueprint/presets.js';
import { conflict } from '../errors.js';
import type { Reporter } from '../log.js';
import { TEMPLATES_DIR } from '../paths.js';
import { Renderer } from '../render.js';
import { commitChanges, StagedTree } from '../tree.js';

export interface InitOptions {
  cwd: string;
  force: boolean;
  reporter: Reporter;
}

/** npm drops dotfiles from packages, so they ship under a `_` name. */
const SHIPPED_NAMES: Record<string, string> = { _gitignore: '.gitignore' };

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

function isNonEmptyDirectory(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw conflict(`${dir}: exists and is not a directory.`);
    throw error;
  }
}

/** A project name pip accepts, from the directory name. */
function projectName(root: string): string {
  const name = path.basename(root).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'petsage-api' : name;
}

export function runInit(dir: string, options: InitOptions): void {
  const root = path.resolve(options.cwd, dir);
  if (!options.force && isNonEmptyDirectory(root)) {
    throw conflict(`${dir}: is not empty; nothing was written.`, ['Choose a new directory, or pass --force to write into it anyway.']);
  }
  const preset = DEFAULT_PRESET;
  const templateDir = path.join(TEMPLATES_DIR, 'project', preset);
  const renderer = new Renderer([templateDir]);
  const tree = new StagedTree(root);
  const context = { projectName: projectName(root), preset };
  for (const file of listFiles(templateDir)) {
    const target = file.replace(/\.hbs$/, '').split('/').map((segment) => SHIPPED_NAMES[segment] ?? segment).join('/');
    tree.write(target, renderer.render(file, context), { overwrite: true });
  }

  const changes = tree.changes();
  const firstCreated = mkdirSync(root, { recursive: true });
  try {
    commitChanges(root, changes);
  } catch (error) {
    if (firstCreated !== undefined) rmSync(firstCreated, { recursive: true, force: true });
    throw error;
  }
  options.reporter.info(`Initialised a "${preset}" FastAPI backend in ${dir}:`);
  options.reporter.changes(changes);
  options.reporter.info(`Next: petsage-build feature <payload.json> --target ${dir}`);
}
