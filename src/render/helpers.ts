import type HandlebarsRuntime from 'handlebars/runtime';
import { codeFence, markdownListItem, markdownTask, markdownText } from './markdown.js';
import { asciiJson } from '../data.js';
import { formatDef, formatFromImport, formatStringAssignment, formatStringItem, LINE_LENGTH } from '../python/format.js';
import { fromImportsBlock, group, layout } from '../python/layout.js';
import { pyDocstring, pyString } from '../python/literal.js';

type Handlebars = typeof HandlebarsRuntime;
type HelperOptions = { hash?: Record<string, unknown>; data?: { root?: { lineLength?: unknown } } };

/** The last argument Handlebars passes to a helper: its hash arguments and the render's data. */
const optionsOf = (args: readonly unknown[]) => args.at(-1) as HelperOptions;
const positional = (args: readonly unknown[]) => args.slice(0, -1).map(String);

/** The line length the template's context lays Python out for (see FeatureContext.lineLength). */
function lineLengthOf(options: HelperOptions): number {
  const value = options.data?.root?.lineLength;
  return typeof value === 'number' ? value : LINE_LENGTH;
}

/** `indent=4` as spaces. */
const indentOf = (options: HelperOptions) => ' '.repeat(Number(options.hash?.indent ?? 0));

/**
 * Helpers escape per output context. None of them compiles or evaluates its argument:
 * payload text is only ever data passed to templates we wrote. The Python ones lay code out as
 * `ruff format` does at the context's line length.
 */
export const HELPERS: Record<string, Handlebars['helpers'][string]> = {
  /** A Python string literal. */
  py: (value: unknown) => pyString(String(value)),
  /** Its arguments joined, to build one text from several. */
  concat: (...args: unknown[]) => positional(args).join(''),
  /** A Python docstring, wrapped at spaces to the line length; `indent=4` inside a class or function. */
  pydoc: (value: unknown, ...rest: unknown[]) => {
    const options = optionsOf(rest);
    return pyDocstring(String(value), indentOf(options), lineLengthOf(options));
  },
  /** `NAME = "value"`, parenthesised or split into parts when too long. */
  pyAssign: (name: unknown, value: unknown, ...rest: unknown[]) => formatStringAssignment(String(name), String(value), lineLengthOf(optionsOf(rest))),
  /** One string item of an exploded list, with its comma; `indent=4`. */
  pyItem: (value: unknown, ...rest: unknown[]) => {
    const options = optionsOf(rest);
    return formatStringItem(String(value), indentOf(options), lineLengthOf(options));
  },
  /**
   * A call statement, `head(args)tail` at `indent=8` (`{{pyCall "return self.get" "id"}}`), its
   * arguments on a line of their own, or one per line, when it does not fit, as ruff lays it out.
   */
  pyCall: (head: unknown, ...rest: unknown[]) => {
    const options = optionsOf(rest);
    return layout(group(String(head), positional(rest), String(options.hash?.tail ?? '')), indentOf(options), lineLengthOf(options));
  },
  /** `def name(params) -> returns:`, its parameters exploded when too long. */
  pyDef: (name: unknown, ...rest: unknown[]) => {
    const options = optionsOf(rest);
    return formatDef(String(name), positional(rest), String(options.hash?.returns), lineLengthOf(options));
  },
  /**
   * Several `from module import names` (arguments in pairs: a module, then its names separated by
   * ", "), in the order ruff's isort rule wants (see isortKey).
   */
  fromImports: (...args: unknown[]) => {
    const [values, options] = [positional(args), optionsOf(args)];
    const pairs = values.flatMap((module, i) => (i % 2 === 0 ? [[module, values[i + 1]!] as const] : []));
    return fromImportsBlock(pairs, lineLengthOf(options));
  },
  /** `from module import a, b`, wrapped the way ruff format wraps it. */
  fromImport: (module: unknown, ...names: unknown[]) => formatFromImport(String(module), positional(names), '', lineLengthOf(optionsOf(names))),
  md: (value: unknown) => markdownText(String(value)),
  mdItem: (value: unknown) => markdownListItem(String(value)),
  /** `- [ ] text`: one item of a checklist. */
  mdTask: (value: unknown) => markdownTask(String(value)),
  /** ASCII-only, indented JSON for a code block. */
  json: (value: unknown) => asciiJson(value),
  /** A code fence longer than any backtick run in the JSON of `value`. */
  jsonFence: (value: unknown) => codeFence(asciiJson(value)),
};
