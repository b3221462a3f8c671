import type HandlebarsRuntime from 'handlebars/runtime';
import { asciiJson, codeFence, markdownListItem, markdownText } from './markdown.js';
import { formatFromImport } from '../python/format.js';
import { pyDocstring, pyString } from '../python/literal.js';

type Handlebars = typeof HandlebarsRuntime;

/**
 * Helpers escape per output context. None of them compiles or evaluates its argument:
 * payload text is only ever data passed to templates we wrote.
 */
export const HELPERS: Record<string, Handlebars['helpers'][string]> = {
  /** A Python string literal. */
  py: (value: unknown) => pyString(String(value)),
  /** A one-line Python docstring. */
  pydoc: (value: unknown) => pyDocstring(String(value)),
  /** `from module import a, b`, wrapped the way ruff format wraps it. */
  fromImport: (module: unknown, ...names: unknown[]) => formatFromImport(String(module), names.slice(0, -1).map(String)),
  md: (value: unknown) => markdownText(String(value)),
  mdItem: (value: unknown) => markdownListItem(String(value)),
  /** ASCII-only, indented JSON for a code block. */
  json: (value: unknown) => asciiJson(value),
  /** A code fence longer than any backtick run in the JSON of `value`. */
  jsonFence: (value: unknown) => codeFence(asciiJson(value)),
};
