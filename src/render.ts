import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime';
import { asciiJson, codeFence, markdownListItem, markdownText } from './markdown.js';
import { TEMPLATES_DIR } from './paths.js';
import { formatFromImport } from './python/format.js';
import { pyDocstring, pyString } from './python/literal.js';
import { PRECOMPILED } from './templates-precompiled.js';

type Handlebars = typeof HandlebarsRuntime;
type Template = (context: object) => string;

/**
 * Helpers escape per output context. None of them compiles or evaluates its argument:
 * payload text is only ever data passed to templates we wrote.
 */
const HELPERS: Record<string, Handlebars['helpers'][string]> = {
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

/** The options every template is compiled with, here and in src/build/bundle.mjs. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

function withHelpers<T extends Handlebars>(env: T): T {
  env.registerHelper(HELPERS);
  return env;
}

let compilerEnv: Handlebars | undefined;
/**
 * The full compiler is loaded only for templates that were not precompiled (running from
 * source, or a project's overrides), keeping it off a normal run's start-up.
 */
function compiler(): Handlebars {
  const load = createRequire(import.meta.url);
  compilerEnv ??= withHelpers((load('handlebars') as Handlebars).create());
  return compilerEnv;
}

let runtimeEnv: Handlebars | undefined;

/**
 * Renders templates from `dirs`, the first holding a name winning, so that a project's
 * overrides shadow the built-ins. Built-ins come precompiled when running from dist/.
 */
export class Renderer {
  private readonly compiled = new Map<string, Template>();

  constructor(private readonly dirs: readonly string[]) {}

  private builtin(dir: string, name: string): Template | undefined {
    const key = path.relative(TEMPLATES_DIR, path.join(dir, name)).split(path.sep).join('/');
    const spec = PRECOMPILED?.[key];
    if (!spec) return undefined;
    runtimeEnv ??= withHelpers(HandlebarsRuntime.create());
    return runtimeEnv.template(spec);
  }

  private load(name: string): Template {
    const cached = this.compiled.get(name);
    if (cached) return cached;
    for (const dir of this.dirs) {
      let template = this.builtin(dir, name);
      if (!template) {
        let source: string;
        try {
          source = readFileSync(path.join(dir, name), 'utf8');
        } catch {
          continue;
        }
        template = compiler().compile(source, COMPILE_OPTIONS);
      }
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
