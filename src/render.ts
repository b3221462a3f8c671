import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { asciiJson, codeFence, markdownListItem, markdownText } from './markdown.js';
import { formatFromImport } from './python/format.js';
import { pyDocstring, pyString } from './python/literal.js';

export type TemplateHelper = (...args: unknown[]) => string;

/**
 * Helpers escape per output context. None of them compiles or evaluates its argument:
 * payload text is only ever data passed to templates we wrote.
 */
const HELPERS: Record<string, TemplateHelper> = {
  /** A Python string literal. */
  py: (value) => pyString(String(value)),
  /** A one-line Python docstring. */
  pydoc: (value) => pyDocstring(String(value)),
  /** `from module import a, b`, wrapped the way ruff format wraps it. */
  fromImport: (module, ...names) => formatFromImport(String(module), names.slice(0, -1).map(String)),
  md: (value) => markdownText(String(value)),
  mdItem: (value) => markdownListItem(String(value)),
  /** ASCII-only, indented JSON for a code block. */
  json: (value) => asciiJson(value),
  /** A code fence longer than any backtick run in the JSON of `value`. */
  jsonFence: (value) => codeFence(asciiJson(value)),
};

/**
 * Renders templates from `dirs`, the first holding a name winning, so a project's
 * overrides shadow the built-ins. Each renderer owns an isolated Handlebars environment.
 */
export class Renderer {
  private readonly env = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dirs: readonly string[]) {
    this.env.registerHelper(HELPERS);
  }

  private load(name: string): Handlebars.TemplateDelegate {
    const cached = this.compiled.get(name);
    if (cached) return cached;
    for (const dir of this.dirs) {
      let source: string;
      try {
        source = readFileSync(path.join(dir, name), 'utf8');
      } catch {
        continue;
      }
      const template = this.env.compile(source, { noEscape: true, strict: true });
      this.compiled.set(name, template);
      return template;
    }
    throw new Error(`template ${name} not found in ${this.dirs.join(', ')}`);
  }

  render(name: string, context: object): string {
    try {
      return this.load(name)(context);
    } catch (error) {
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
  }
}
