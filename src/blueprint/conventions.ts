import { readContainedText } from '../commit/safe-fs.js';
import { packageOf } from '../plan/plan.js';
import { analyse, routerOf } from '../python/aggregator.js';
import { DEFAULT_MOUNT, siblingMount, type Mount } from '../python/siblings.js';
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
  return siblingMount(file, routerOf(file, edit), readModuleOf(root, blueprint.sourceRoot));
}
