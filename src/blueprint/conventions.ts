import { readContainedText } from '../commit/safe-fs.js';
import { moduleOf, packageOf } from '../plan/plan.js';
import { analyse, routerOf } from '../python/aggregator.js';
import { apiMount, DEFAULT_MOUNT, siblingMount, type ApiMount, type Mount, type PrefixSource } from '../python/siblings.js';
import { memoized } from '../data.js';
import { literalIn } from './infer-app.js';
import { moduleBindings, readModule } from './module-files.js';
import type { Blueprint } from './presets.js';

type ModuleReader = (dotted: string) => { file: string; source: string } | undefined;

/** A dotted module's file and text under the source root, when the project has it; each read once. */
const moduleReader = (root: string, sourceRoot: string): ModuleReader => memoized((dotted) => readModule(dotted, sourceRoot, (file) => readContainedText(root, file)));

/**
 * The text that defines a route module's `router`: the module's own, or that of the module its
 * package's `__init__.py` imports `router` from (`from .router import router`, every preset's
 * layout). Without following it, no sibling's tag was ever found in such a backend, and each run
 * read every sibling's `__init__.py` looking for one.
 */
const routerModuleSource = (read: ModuleReader) => (dotted: string) => {
  const found = read(dotted);
  if (!found?.file.endsWith('__init__.py')) return found?.source;
  const bindings = moduleBindings(found, dotted);
  const imported = 'problem' in bindings ? undefined : bindings.get('router')?.dotted;
  const from = imported?.endsWith('.router') ? imported.slice(0, -'.router'.length) : undefined;
  return (from !== undefined && from !== dotted && read(from)?.source) || found.source;
};

/** The backend's conventions, read before anything renders. */
export interface Conventions {
  mount: Mount;
  /** The URL prefix the app mounts the API under, when the app module says it as a value (a string, or a settings default). */
  apiPrefix?: string;
}

/**
 * How the backend's existing features are mounted (see siblings.ts), read before the run
 * renders anything: the feature's router module and its include must agree on where the prefix
 * and the tags go; and the prefix the app mounts them under. Without an aggregator the default;
 * an aggregator that cannot be read is the same error the registration would give.
 */
export function detectConventions(root: string, blueprint: Blueprint): Conventions {
  const source = readContainedText(root, blueprint.aggregator);
  if (source === undefined) return { mount: DEFAULT_MOUNT };
  const edit = { file: blueprint.aggregator, routerVar: blueprint.router, aggregatorPackage: packageOf(blueprint.aggregator, blueprint.sourceRoot) };
  const file = analyse(source, edit);
  const routerVar = routerOf(file, edit);
  const read = moduleReader(root, blueprint.sourceRoot);
  const mount = siblingMount(file, routerVar, (dotted) => read(dotted)?.source, routerModuleSource(read));
  const api = mountedUnder(root, blueprint, routerVar);
  const apiPrefix = api?.literal ?? (api?.from && settingsDefault(root, blueprint.sourceRoot, api.from));
  return { mount: api?.from ? { ...mount, prefixFrom: api.from } : mount, ...(apiPrefix !== undefined && { apiPrefix }) };
}

/** The string a settings module gives the attribute (`API_V1_STR: str = "/api/v1"`), when it writes one. */
function settingsDefault(root: string, sourceRoot: string, from: PrefixSource): string | undefined {
  const source = moduleReader(root, sourceRoot)(from.module)?.source;
  return source === undefined ? undefined : literalIn(source, from.attribute);
}

/** What the app mounts the aggregator's router under, read from the app module (see apiMount). */
function mountedUnder(root: string, blueprint: Blueprint, routerVar: string): ApiMount | undefined {
  const [appModule] = blueprint.app.split(':') as [string];
  const aggregatorModule = moduleOf(blueprint.aggregator, blueprint.sourceRoot);
  if (aggregatorModule === appModule) return undefined;
  const found = readModule(appModule, blueprint.sourceRoot, (file) => readContainedText(root, file));
  if (!found) return undefined;
  const { file, source } = found;
  try {
    return apiMount(analyse(source, { file, aggregatorPackage: packageOf(file, blueprint.sourceRoot) }), `${aggregatorModule}.${routerVar}`);
  } catch {
    // An app module the scanner cannot read mounts nothing we can follow: the tests use the path.
    return undefined;
  }
}
