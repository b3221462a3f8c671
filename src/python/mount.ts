import { featureIncludes, mountPrefix } from './aggregator.js';
import type { AggregatorEdit, AggregatorFile } from './model.js';
import type { Include } from './routers.js';
import { stringValue, type Token } from './scan.js';

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
  // A feature whose router sets its own prefix (as its siblings do) is included without one.
  const prefix = edit.prefixInModule ? undefined : mountPrefix(file, edit, routerVar);
  const unexpected = (include: Include) => include.otherArguments.filter((argument) => !(edit.tag !== undefined && isTagArgument(argument, edit.tag)));
  // One include as generated is enough: another mount beside it adds a URL and takes none away.
  if (includes.some((include) => include.prefix === prefix && unexpected(include).length === 0)) return undefined;
  return describeMount(includes[0]!, prefix, unexpected(includes[0]!));
}

/** `tags=["pets"]` (as written without spaces, either quote, a trailing comma) passing exactly `tag`. */
function isTagArgument(argument: string, tag: string): boolean {
  const match = /^tags=\[(["'])(.*)\1,?\]$/.exec(argument);
  return match !== null && stringValue({ kind: 'string', text: `${match[1]}${match[2]}${match[1]}`, start: 0 } as Token) === tag;
}

function describeMount(include: Include, prefix: string | undefined, unexpected: readonly string[]): string {
  if (include.prefix !== prefix) {
    if (prefix === undefined) return `mounts the feature at ${JSON.stringify(include.prefix)}, where its router sets the prefix`;
    const wanted = `prefix=${JSON.stringify(prefix)}`;
    return include.prefix === undefined ? `does not mount the feature with ${wanted}` : `mounts the feature at ${JSON.stringify(include.prefix)}, not at ${JSON.stringify(prefix)}`;
  }
  return `mounts the feature with ${unexpected.join(', ')}, which its generated code and tests do not expect`;
}
