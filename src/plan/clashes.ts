import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { isPlainObject } from '../data.js';
import { invalidInput, type Problem } from '../errors.js';
import { ownerName, ownerText, payloadPath, type Owner } from '../payload/owner.js';
import type { Plan } from './plan.js';

/**
 * Every Python name a feature introduces must be free in the backend: two features sharing a
 * response class make OpenAPI fall back to module-qualified names, an import alias equal to the
 * aggregator's router makes the router include itself, and two test modules of one basename stop
 * pytest at collection. Checked at plan time against what the caller read from the target, so a
 * clash is invalid input (exit 2) with nothing written. Pure: the reading is the caller's.
 */

/** A name the aggregator binds at top level. */
export interface AggregatorName {
  /** The absolute dotted path an import binds it to; undefined for an assignment, function or class. */
  dotted: string | undefined;
  /** Where, for messages: `line 5: api_v1_router = APIRouter()`. */
  shown: string;
}

export interface ClashInput {
  /** The run's features, in payload order. */
  batch: readonly Plan[];
  /** The features recorded in the target; a batch feature's own record is not a clash. */
  recorded: readonly Plan[];
  aggregator: {
    file: string;
    names: ReadonlyMap<string, AggregatorName>;
    /** The name each batch feature's registration would bind, in batch order; undefined when it is registered already. */
    binds: readonly (string | undefined)[];
  };
  tests: {
    /** Test modules in the target whose basename is one a batch feature's test would have. */
    present: readonly string[];
    /** Whether a folder holds an `__init__.py`. */
    isPackage: (dir: string) => boolean;
    /** Whether pytest imports test modules with `--import-mode=importlib`; asked only when two share a basename. */
    importlib: () => boolean;
  };
}

type Kind = 'module' | 'class' | 'operation' | 'handler';

const WORDS: Record<Kind, { noun: string; verb: string; verbs: string }> = {
  module: { noun: 'the module', verb: 'create', verbs: 'creates' },
  class: { noun: 'the class', verb: 'define', verbs: 'defines' },
  operation: { noun: 'the operation id', verb: 'use', verbs: 'uses' },
  handler: { noun: 'the route handler', verb: 'define', verbs: 'defines' },
};

/** The names of one feature that must be unique across features, each with the file that holds it. */
function claims(plan: Plan): { kind: Kind; name: string; file: string }[] {
  const { modules, paths, className, operation } = plan.context;
  return [
    { kind: 'module', name: modules.schema, file: paths.schema },
    { kind: 'module', name: modules.service, file: paths.service },
    { kind: 'module', name: modules.router, file: paths.router },
    ...(paths.init === undefined ? [] : [{ kind: 'module' as const, name: plan.aggregator.routerModule, file: paths.init }]),
    { kind: 'class', name: className, file: paths.schema },
    { kind: 'operation', name: operation.id, file: paths.router },
    { kind: 'handler', name: operation.handler, file: paths.router },
  ];
}

const testBase = (file: string) => path.posix.basename(file, '.py');
const CHOOSE = 'choose another feature name.';

/**
 * The module name pytest's default import mode (prepend) gives a test file: its basename under
 * the packages (folders with an `__init__.py`) that hold it. Two files of one name stop collection.
 */
function prependModule(file: string, isPackage: (dir: string) => boolean): string {
  let module = testBase(file);
  for (let dir = path.posix.dirname(file); dir !== '.' && isPackage(dir); dir = path.posix.dirname(dir)) module = `${path.posix.basename(dir)}.${module}`;
  return module;
}

/** Every clash of the batch's names, one problem each, under the payload's `feature` field. */
export function findClashes(input: ClashInput): Problem[] {
  const { batch, recorded, aggregator, tests } = input;
  const field = (index: number) => payloadPath(index, batch.length, 'feature');
  const problems: Problem[] = [];
  const batchNames = new Set(batch.map((plan) => plan.feature.names.snake));

  const taken = new Map<string, { owner: Owner; file: string }>();
  const take = (plan: Plan, owner: Owner) => {
    for (const claim of claims(plan)) if (!taken.has(`${claim.kind} ${claim.name}`)) taken.set(`${claim.kind} ${claim.name}`, { owner, file: claim.file });
  };
  for (const plan of recorded) if (!batchNames.has(plan.feature.names.snake)) take(plan, { feature: plan.feature.names.snake });

  const testSites = new Map<string, { file: string; owner?: Owner }[]>();
  const site = (file: string, owner?: Owner) => {
    const sites = testSites.get(testBase(file)) ?? [];
    const known = sites.find((candidate) => candidate.file === file);
    if (known) known.owner ??= owner;
    else testSites.set(testBase(file), [...sites, { file, ...(owner && { owner }) }]);
  };
  for (const file of tests.present) site(file);
  for (const plan of recorded) if (!batchNames.has(plan.feature.names.snake)) site(plan.context.paths.test, { feature: plan.feature.names.snake });
  batch.forEach((plan, index) => site(plan.context.paths.test, { feature: plan.feature.names.snake, index }));
  let importlib: boolean | undefined;

  const boundBy = new Map<string, Owner>();
  batch.forEach((plan, index) => {
    const feature = plan.feature.names.snake;
    const clash = (message: string) => problems.push({ path: field(index), message: `"${feature}" ${message}; ${CHOOSE}` });

    const name = aggregator.binds[index];
    if (name !== undefined) {
      const own = plan.aggregator.routerModule;
      const bound = aggregator.names.get(name);
      const other = boundBy.get(name);
      const importing = `would import its router as ${name} into ${aggregator.file}`;
      if (bound && bound.dotted !== own && bound.dotted !== `${own}.router`) clash(`${importing}, which already binds that name (${bound.shown})`);
      else if (other) clash(`${importing}, a name ${ownerName(other)} would bind too`);
      boundBy.set(name, { feature, index });
    }

    for (const { kind, name: claimed } of claims(plan)) {
      const other = taken.get(`${kind} ${claimed}`);
      if (!other) continue;
      const { noun, verb, verbs } = WORDS[kind];
      clash(`would ${verb} ${noun} ${claimed}, which ${ownerText(other.owner)} ${verbs} (${other.file})`);
    }
    take(plan, { feature, index });

    const mine = plan.context.paths.test;
    for (const other of testSites.get(testBase(mine)) ?? []) {
      // Each pair once, under the later payload; the feature's own test (a re-run) is not earlier than itself.
      if (other.owner?.index !== undefined && other.owner.index >= index) continue;
      const module = prependModule(mine, tests.isPackage);
      if (prependModule(other.file, tests.isPackage) !== module || (importlib ??= tests.importlib())) continue;
      const holder = other.owner ? `the test of ${ownerName(other.owner)}, ${other.file},` : other.file;
      const has = other.owner?.index === undefined ? 'already has' : 'would have';
      clash(`would add the test module ${testBase(mine)} (${mine}), but ${holder} ${has} that name, and pytest's default import mode would import both as ${module}`);
    }
  });
  return problems;
}

const NAMES_HINT = "A feature's import alias, modules, response class, test module, operation id and handler must be free in the backend (see \"Naming rules\" in the README).";
const PYTEST_HINT = 'Or let pytest import test modules by path: addopts = "--import-mode=importlib" under [tool.pytest.ini_options] (or make the test folders packages, with an __init__.py, so the modules are named apart).';

/** Refuses the batch (exit 2) when any of its names clash; nothing has been written. */
export function assertNoClashes(input: ClashInput): void {
  const problems = findClashes(input);
  if (problems.length === 0) return;
  const hints = [NAMES_HINT, ...(problems.some((problem) => problem.message.includes('pytest')) ? [PYTEST_HINT] : [])];
  const [only] = problems;
  if (problems.length === 1) throw invalidInput(only!.message, { path: only!.path, hints });
  throw invalidInput(`${problems.length} names the features would introduce are taken; nothing was written.`, { problems, hints });
}

/** `[section]` of an INI file: its keys, continuation lines joined. */
function iniSection(text: string, section: string): Map<string, string> | undefined {
  let values: Map<string, string> | undefined;
  let inside = false;
  let key: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\[([^\]]*)\]\s*$/.exec(line);
    if (header) {
      inside = header[1]!.trim() === section;
      if (inside) values ??= new Map();
      key = undefined;
    } else if (!inside || /^\s*([#;].*)?$/.test(line)) {
      continue;
    } else if (/^\s/.test(line) && key !== undefined) {
      values!.set(key, `${values!.get(key)} ${line.trim()}`);
    } else {
      const pair = /^([^=:]+)[=:](.*)$/.exec(line);
      key = pair?.[1]!.trim();
      if (pair && key !== undefined) values!.set(key, pair[2]!.trim());
    }
  }
  return values;
}

function tomlTable(text: string, keys: readonly string[]): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch {
    return undefined;
  }
  for (const key of keys) value = isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  return isPlainObject(value) ? value : undefined;
}

/**
 * The `addopts` of the config file pytest would pick, in its order: `pytest.toml`, `pytest.ini`
 * (each also hidden), `pyproject.toml` with a pytest table, `tox.ini`, `setup.cfg`.
 */
export function pytestAddopts(read: (file: string) => string | undefined): string[] {
  const words = (value: unknown): string[] => (typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
  for (const file of ['pytest.toml', '.pytest.toml']) {
    const text = read(file);
    if (text !== undefined) return words(tomlTable(text, ['pytest'])?.addopts);
  }
  for (const file of ['pytest.ini', '.pytest.ini']) {
    const text = read(file);
    if (text !== undefined) return words(iniSection(text, 'pytest')?.get('addopts'));
  }
  const pyproject = read('pyproject.toml');
  const table = pyproject === undefined ? undefined : (tomlTable(pyproject, ['tool', 'pytest', 'ini_options']) ?? tomlTable(pyproject, ['tool', 'pytest']));
  if (table) return words(table.addopts);
  for (const [file, section] of [['tox.ini', 'pytest'], ['setup.cfg', 'tool:pytest']] as const) {
    const text = read(file);
    const values = text === undefined ? undefined : iniSection(text, section);
    if (values) return words(values.get('addopts'));
  }
  return [];
}

/** Whether those options set `--import-mode=importlib` (the last one given wins, as in argparse). */
export function importsByPath(addopts: readonly string[]): boolean {
  let mode = 'prepend';
  addopts.forEach((option, i) => {
    if (option.startsWith('--import-mode=')) mode = option.slice('--import-mode='.length);
    else if (option === '--import-mode' && addopts[i + 1] !== undefined) mode = addopts[i + 1]!;
  });
  return mode === 'importlib';
}
