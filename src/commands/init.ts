import { mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PRESET, PRESETS, PROJECT_LAYERS, type Blueprint } from '../blueprint/presets.js';
import { isPreset, presetChoices } from '../blueprint/validate.js';
import { moduleFiles } from '../blueprint/module-files.js';
import { conflict, invalidInput, ioFailure } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { planDbLayer } from '../plan/db-layer.js';
import { readConfig } from '../blueprint/config.js';
import { readRuffSettings } from '../blueprint/ruff.js';
import { moduleOf } from '../plan/plan.js';
import { Renderer } from '../render/renderer.js';
import { fileReport } from '../record/report.js';
import { runTransaction } from '../commit/transaction.js';
import type { Change, StagedTree } from '../commit/tree.js';
import { counted } from '../data.js';
import { recordNames } from '../record/record.js';

export interface InitOptions {
  cwd: string;
  /** Into a non-empty directory: create only the missing files, leaving every existing one alone. */
  force: boolean;
  /** Into a non-empty directory: also replace existing files with init's, listing each. */
  overwrite?: boolean;
  /** Seconds to wait for another run's lock, when the directory exists. */
  wait: number;
  preset: string | undefined;
  reporter: Reporter;
}

/** npm drops dotfiles from packages, so they ship under a `_` name. */
const SHIPPED_NAMES: Record<string, string> = { _gitignore: '.gitignore' };

function isNonEmptyDirectory(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw conflict(`a file is in the way (ENOTDIR); nothing was written.`, { path: dir, hints: ['Move it, or choose another directory.'] });
    throw error;
  }
}

/** A project name pip accepts, from the directory name. */
function projectName(root: string): string {
  const name = path.basename(root).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'petsage-api' : name;
}

/** What the project templates need to know about a layout. */
function projectContext(root: string, blueprint: Blueprint) {
  const [appModule, appVar = 'app'] = blueprint.app.split(':') as [string, string?];
  const srcLayout = blueprint.sourceRoot !== '.';
  const appIsModule = !appModule.includes('.');
  const topPackage = moduleOf(blueprint.paths.router, blueprint.sourceRoot).split('.')[0]!;
  // The database package lies in the top package, except in a layout whose app is a module at
  // the root (`main.py`), where it is a top package of its own.
  const dbPackage = moduleOf(`${blueprint.resource!.db}/__init__.py`, blueprint.sourceRoot).split('.')[0]!;
  const topPackages = [...new Set([topPackage, dbPackage])];
  const checked = srcLayout
    ? [blueprint.sourceRoot, blueprint.resource!.migrations, 'tests']
    : [...(appIsModule ? [`${appModule}.py`] : []), ...topPackages, blueprint.resource!.migrations, 'tests'];
  return {
    projectName: projectName(root),
    preset: blueprint.preset,
    appModule,
    appVar,
    sourceRoot: blueprint.sourceRoot,
    srcLayout,
    appIsModule,
    topPackage,
    mypyFiles: checked.map((file) => JSON.stringify(file)).join(', '),
    packages: topPackages.map((name) => JSON.stringify(`${name}*`)).join(', '),
    uvicornTarget: srcLayout ? `${blueprint.app} --app-dir ${blueprint.sourceRoot}` : blueprint.app,
    featureRoot: blueprint.paths.router.slice(0, blueprint.paths.router.indexOf('{feature}')),
    aggregator: blueprint.aggregator,
  };
}

/** The app module's file of a layout: `app/main.py` for `app.main:app`. */
const appFileOf = (blueprint: Blueprint) => moduleFiles(blueprint.app.split(':')[0]!, blueprint.sourceRoot)[0];

export async function runInit(dir: string, options: InitOptions) {
  const presetName = options.preset ?? DEFAULT_PRESET;
  if (!isPreset(presetName)) throw invalidInput(`--preset ${presetName}: unknown preset; ${presetChoices(presetName)}.`);
  if (!Object.hasOwn(PROJECT_LAYERS, presetName)) {
    throw invalidInput(`init does not write the "${presetName}" layout; it is for backends made from the full-stack template, where features are generated without init.`, {
      path: '--preset',
      hints: [`Choose one of ${Object.keys(PROJECT_LAYERS).join(', ')}, or generate features into such a backend without init.`],
    });
  }
  const blueprint = PRESETS[presetName]!;
  const root = path.resolve(options.cwd, dir);
  const overwrite = options.overwrite === true;
  if (!options.force && !overwrite && isNonEmptyDirectory(root)) {
    throw conflict(`is not empty; nothing was written.`, {
      path: dir,
      hints: ['Choose a new directory; or pass --force to create only the missing files, leaving every existing file as it is; or --overwrite to also replace existing files with init\'s (each one is listed).'],
    });
  }

  const renderer = new Renderer('project');
  const context = projectContext(root, blueprint);
  const templates = renderer.builtinNames();
  const dbRenderer = new Renderer('db');
  // Existing files that differ from init's: left alone (--force), or replaced (--overwrite).
  const leftAlone: string[] = [];
  const stage = (tree: StagedTree) => {
    // Init's aggregator and models registry would drop the registrations of recorded features.
    const recorded = overwrite ? recordNames(tree.root) : [];
    if (recorded.length > 0) {
      throw conflict(`holds recorded features (${recorded.join(', ')}): --overwrite would replace the files they are registered in with init's and drop their registrations; nothing was written.`, {
        path: dir,
        hints: ['Pass --force instead to create only the missing files, or remove (or forget) those features first.'],
      });
    }
    // Read under the lock, after a killed run's commit was settled: what exists is what is there.
    const write = (file: string, content: string) => {
      // As bytes: an existing file need not be UTF-8 to be left alone.
      const existing = tree.readBytes(file);
      if (existing !== undefined && !existing.equals(Buffer.from(content)) && !overwrite) leftAlone.push(file);
      else tree.write(file, content, { overwrite: true });
    };
    for (const layer of PROJECT_LAYERS[presetName]!) {
      for (const name of templates.filter((template) => template.startsWith(`${layer}/`))) {
        write(name.slice(layer.length + 1).replace(/\.hbs$/, '').split('/').map((segment) => SHIPPED_NAMES[segment] ?? segment).join('/'), renderer.render(name, context));
      }
    }
    // Init's pyproject.toml supports Python 3.10; a project's own, which --force keeps, or its
    // ruff config, may start later, and the database layer then spells UTC as that Python does.
    const { pythonFloor } = readRuffSettings(tree.root, overwrite ? undefined : readConfig(tree.root).pyproject);
    const dbLayer = planDbLayer({ ...blueprint, resource: blueprint.resource!, ...(pythonFloor !== undefined && { pythonFloor }) });
    for (const file of dbLayer.files) write(file.path, dbRenderer.render(file.template, dbLayer.context));
  };

  let firstCreated: string | undefined;
  try {
    firstCreated = mkdirSync(root, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw conflict(`a file is in the way (${code}); nothing was written.`, { path: dir, hints: ['Move it, or choose another directory.'] });
    throw ioFailure(`cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was written.`, { path: dir, hints: [
      'Choose a directory you can write to.',
    ] });
  }
  let changes: Change[];
  try {
    // The same transaction as every other command: lock, settle a killed run, stage, commit.
    changes = await runTransaction({ root: realpathSync(root), wait: options.wait, dryRun: false, reporter: options.reporter, stage });
  } catch (error) {
    if (firstCreated !== undefined) rmSync(firstCreated, { recursive: true, force: true });
    throw error;
  }
  // A --force over a backend that has every file: nothing was created, and the run says so.
  const wrote = changes.some((change) => change.action !== 'unchanged');
  options.reporter.info(wrote ? `Initialised a "${presetName}" FastAPI backend in ${dir}:` : `Nothing to create: the "${presetName}" backend in ${dir} has every file init writes.`);
  options.reporter.changes(changes);
  const replaced = changes.filter((change) => change.action === 'updated').map((change) => change.path);
  if (replaced.length > 0) options.reporter.warn(`--overwrite replaced ${counted(replaced.length, 'existing file')} with init's: ${replaced.join(', ')}`);
  if (leftAlone.length > 0) {
    options.reporter.info(`Left alone (${counted(leftAlone.length, 'existing file')} that ${leftAlone.length === 1 ? 'differs' : 'differ'} from init's; --overwrite replaces them): ${leftAlone.join(', ')}`);
    // The files the rest of the backend stands on: kept as they are, they may lack what it needs.
    const compare = 'Compare with a fresh `petsage-build init` into an empty folder and merge by hand, or pass --overwrite.';
    if (leftAlone.includes('pyproject.toml')) options.reporter.warn(`pyproject.toml was kept as it was, so it may lack what the backend needs: its dependencies, [tool.petsage], pytest's and mypy's config and the package list. ${compare}`);
    const app = appFileOf(blueprint);
    if (leftAlone.includes(app)) options.reporter.warn(`${app} was kept as it was: unless it creates the app ${blueprint.app} and mounts the API router as init's does, generated features are not served. ${compare}`);
  }
  options.reporter.info(`Next: petsage-build feature <payload.json> --target ${dir}`);
  return { target: root, preset: presetName, files: changes.map(fileReport), leftAlone, replaced };
}
