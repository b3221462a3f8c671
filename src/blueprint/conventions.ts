import { readContainedText } from '../commit/safe-fs.js';
import { moduleOf, packageOf } from '../plan/plan.js';
import { analyse, routerOf } from '../python/aggregator.js';
import { DEFAULT_MOUNT, prefixSource, siblingMount, type Mount, type PrefixSource } from '../python/siblings.js';
import type { Blueprint } from './presets.js';

/** The file of a dotted module under the source root, as a package or a module, when it exists. */
function readModuleOf(root: string, sourceRoot: string): (dotted: string) => string | undefined {
  const base = sourceRoot === '.' ? '' : `${sourceRoot}/`;
  return (dotted) => {
    const file = `${base}${dotted.split('.').join('/')}`;
    return readContainedText(root, `${file}.py`) ?? readContainedText(root, `${file}/__init__.py`);
  };
}

/**
 * How the backend's existing features are mounted (see siblings.ts), read before the run
 * renders anything: the feature's router module and its include must agree on where the prefix
 * and the tags go. Without an aggregator the default; an aggregator that cannot be read is the
 * same error the registration would give.
 */
export function detectMount(root: string, blueprint: Blueprint): Mount {
  const source = readContainedText(root, blueprint.aggregator);
  if (source === undefined) return DEFAULT_MOUNT;
  const edit = { file: blueprint.aggregator, routerVar: blueprint.router, aggregatorPackage: packageOf(blueprint.aggregator, blueprint.sourceRoot) };
  const file = analyse(source, edit);
  const routerVar = routerOf(file, edit);
  const mount = siblingMount(file, routerVar, readModuleOf(root, blueprint.sourceRoot));
  const prefixFrom = mountedUnder(root, blueprint, routerVar);
  return prefixFrom ? { ...mount, prefixFrom } : mount;
}

/** What the app mounts the aggregator's router under, read from the app module (see prefixSource). */
function mountedUnder(root: string, blueprint: Blueprint, routerVar: string): PrefixSource | undefined {
  const [appModule, appVar = 'app'] = blueprint.app.split(':') as [string, string?];
  const aggregatorModule = moduleOf(blueprint.aggregator, blueprint.sourceRoot);
  if (aggregatorModule === appModule) return undefined;
  const base = `${blueprint.sourceRoot === '.' ? '' : `${blueprint.sourceRoot}/`}${appModule.split('.').join('/')}`;
  const [file, source] = [`${base}.py`, `${base}/__init__.py`].map((candidate) => [candidate, readContainedText(root, candidate)] as const).find(([, text]) => text !== undefined) ?? [];
  if (file === undefined || source === undefined) return undefined;
  try {
    return prefixSource(analyse(source, { file, aggregatorPackage: packageOf(file, blueprint.sourceRoot) }), appVar, `${aggregatorModule}.${routerVar}`);
  } catch {
    // An app module the scanner cannot read mounts nothing we can follow: the tests use the path.
    return undefined;
  }
}
