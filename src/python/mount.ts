import { featureIncludes, mountPrefix } from './aggregator.js';
import type { AggregatorEdit, AggregatorFile } from './model.js';
import type { Include } from './routers.js';

/**
 * Whether the aggregator still mounts a feature where its generated code and tests expect it,
 * compared as structure, not bytes: an include reformatted (wrapped, joined, a trailing comma,
 * the import moved into a module list) still mounts it; a changed `prefix=`, or any argument the
 * patch did not write (`include_in_schema=False`, `dependencies=`, `tags=`), does not, since it
 * moves the endpoint, hides it from the OpenAPI document the tests read, or guards it.
 */
export function mountProblem(file: AggregatorFile, edit: AggregatorEdit, routerVar: string): string | undefined {
  const includes = featureIncludes(file, edit, routerVar);
  if (includes.length === 0) return 'no longer registers the feature';
  const prefix = mountPrefix(file, edit, routerVar);
  // One include as generated is enough: another mount beside it adds a URL and takes none away.
  if (includes.some((include) => include.prefix === prefix && include.otherArguments.length === 0)) return undefined;
  return describeMount(includes[0]!, prefix);
}

function describeMount(include: Include, prefix: string): string {
  const wanted = `prefix=${JSON.stringify(prefix)}`;
  if (include.prefix !== prefix) {
    return include.prefix === undefined ? `does not mount the feature with ${wanted}` : `mounts the feature at ${JSON.stringify(include.prefix)}, not at ${JSON.stringify(prefix)}`;
  }
  return `mounts the feature with ${include.otherArguments.join(', ')}, which its generated code and tests do not expect`;
}
