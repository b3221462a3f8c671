import { readContainedText } from '../commit/safe-fs.js';
import { invalidInput } from '../errors.js';
import { moduleBindings, notInProject, readModule } from './module-files.js';
import type { Blueprint } from './presets.js';

/**
 * The dependency a `route_dependencies` entry names: the callable itself, or, for an alias
 * `CurrentUser = Annotated[User, Depends(get_current_user)]`, the callable it depends on, which
 * is what a router's `dependencies=[Depends(...)]` and a test's override need. The module must be
 * one of the project's and define or import the name.
 */
function resolveOne(root: string, sourceRoot: string, entry: string, where: string): string {
  const [module, name] = entry.split(':') as [string, string];
  const found = readModule(module, sourceRoot, (file) => readContainedText(root, file));
  if (!found) throw invalidInput(`${notInProject(module, sourceRoot)}.`, { path: where, hints: ['Name a dependency of the project, e.g. "app.api.deps:get_current_user".'] });
  const bindings = moduleBindings(found, module);
  if ('problem' in bindings) return entry;
  const bound = bindings.get(name);
  if (!bound) throw invalidInput(`${module} does not define or import ${name}.`, { path: where, hints: [`Name a dependency ${found.file} defines, e.g. a function that authenticates the request.`] });
  // `Name = Annotated[Type, Depends(callable)]`: the callable, bound in the same module.
  const { tokens } = bound.line;
  const texts = tokens.map((token) => token.text);
  const depends = texts.indexOf('Depends');
  if (texts[0] === name && texts.includes('Annotated') && depends > 0 && texts[depends + 1] === '(' && tokens[depends + 2]?.kind === 'name' && texts[depends + 3] === ')') return `${module}:${texts[depends + 2]}`;
  return entry;
}

/** Each entry of `route_dependencies`, resolved to the callable the routers depend on. */
export function resolveRouteDependencies(root: string, blueprint: Blueprint, where: string): string[] {
  return (blueprint.routeDependencies ?? []).map((entry, i) => resolveOne(root, blueprint.sourceRoot, entry, `${where}[${i}]`));
}
