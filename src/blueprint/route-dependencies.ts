import { readContainedText } from '../commit/safe-fs.js';
import { invalidInput } from '../errors.js';
import { scanPython } from '../python/scan.js';
import type { Blueprint } from './presets.js';

/**
 * The dependency a `route_dependencies` entry names: the callable itself, or, for an alias
 * `CurrentUser = Annotated[User, Depends(get_current_user)]`, the callable it depends on, which
 * is what a router's `dependencies=[Depends(...)]` and a test's override need. The module must be
 * one of the project's and define or import the name.
 */
function resolveOne(root: string, sourceRoot: string, entry: string, where: string): string {
  const [module, name] = entry.split(':') as [string, string];
  const base = `${sourceRoot === '.' ? '' : `${sourceRoot}/`}${module.split('.').join('/')}`;
  const file = [`${base}.py`, `${base}/__init__.py`].find((candidate) => readContainedText(root, candidate) !== undefined);
  if (file === undefined) throw invalidInput(`the module ${module} is not in the project (looked for ${base}.py and ${base}/__init__.py).`, { path: where, hints: ['Name a dependency of the project, e.g. "app.api.deps:get_current_user".'] });
  const source = readContainedText(root, file)!;
  const { lines, problems } = scanPython(source);
  if (problems[0]) return entry;
  const bound = lines.filter((line) => line.indent === '').find((line) => {
    const [first, second, third] = line.tokens;
    if (first?.text === 'def' || (first?.text === 'async' && second?.text === 'def')) return (first.text === 'def' ? second : third)?.text === name;
    if (first?.kind === 'name' && first.text === name && (second?.text === '=' || second?.text === ':')) return true;
    return (first?.text === 'from' || first?.text === 'import') && line.tokens.some((token) => token.kind === 'name' && token.text === name);
  });
  if (!bound) throw invalidInput(`${module} does not define or import ${name}.`, { path: where, hints: [`Name a dependency ${file} defines, e.g. a function that authenticates the request.`] });
  // `Name = Annotated[Type, Depends(callable)]`: the callable, bound in the same module.
  const texts = bound.tokens.map((token) => token.text);
  const depends = texts.indexOf('Depends');
  if (texts[0] === name && texts.includes('Annotated') && depends > 0 && texts[depends + 1] === '(' && bound.tokens[depends + 2]?.kind === 'name' && texts[depends + 3] === ')') return `${module}:${texts[depends + 2]}`;
  return entry;
}

/** Each entry of `route_dependencies`, resolved to the callable the routers depend on. */
export function resolveRouteDependencies(root: string, blueprint: Blueprint, where: string): string[] {
  return (blueprint.routeDependencies ?? []).map((entry, i) => resolveOne(root, blueprint.sourceRoot, entry, `${where}[${i}]`));
}
