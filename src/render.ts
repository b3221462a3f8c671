import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime';
import { conflict, invalidInput } from './errors.js';
import { asciiJson, codeFence, markdownListItem, markdownText } from './markdown.js';
import { TEMPLATES_DIR } from './paths.js';
import { formatFromImport } from './python/format.js';
import { pyDocstring, pyString } from './python/literal.js';
import { readNoFollow } from './safe-fs.js';
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
const PARTIALS = 'partials';
const TEMPLATE_SUFFIX = '.hbs';

function listTemplates(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return listTemplates(path.join(dir, entry.name), `${name}/`);
    if (!entry.name.endsWith(TEMPLATE_SUFFIX)) return [];
    // An override is read from inside the project only: a link could point anywhere.
    if (!entry.isFile()) throw conflict(`${name}: in the template overrides is not a plain file (a link?); refusing to read it.`, ['Replace it with the template itself.']);
    return [name];
  });
}

/**
 * The full compiler, loaded only when a template was not precompiled (running from source,
 * or a project with overrides), which keeps it off a normal run's start-up.
 */
function compilerEnv(): Handlebars {
  const load = createRequire(import.meta.url);
  return (load('handlebars') as Handlebars).create();
}

interface LoadedTemplate {
  render: Template;
  /** Set for a project's override, whose errors are the user's to fix. */
  overridePath?: string;
}

/** Handlebars errors end with the position (`- 3:10`) or start with `Parse error on line 3:`. */
function describeTemplateError(error: Error): string {
  const [first = '', , , second = ''] = error.message.split('\n');
  const parse = /^Parse error on line (\d+):/.exec(first);
  if (parse) return `line ${parse[1]}: ${second || first}`;
  const position = / - (\d+):(\d+)$/.exec(first);
  return position ? `line ${position[1]}: ${first.slice(0, position.index)}` : first;
}

/**
 * A project's overrides are its own code, but still input: a loop or a recursion in one must end
 * the run with an error naming it, not hang it. Every block iteration and partial call ticks;
 * past a count or a time, or an output size, the render stops.
 */
const MAX_TICKS = 2_000_000;
const MAX_RENDER_MS = 5_000;
const MAX_OUTPUT = 8 * 1024 * 1024;

class RenderBudgetExceeded extends Error {}

class RenderBudget {
  private ticks = 0;
  private deadline = 0;

  start(): void {
    this.ticks = 0;
    this.deadline = Date.now() + MAX_RENDER_MS;
  }

  tick(): void {
    this.ticks += 1;
    if (this.ticks > MAX_TICKS) throw new RenderBudgetExceeded(`it ran more than ${MAX_TICKS.toLocaleString('en')} block iterations and partial calls`);
    if (this.ticks % 1024 === 0 && Date.now() > this.deadline) throw new RenderBudgetExceeded(`it ran longer than ${MAX_RENDER_MS / 1000} s`);
  }
}

type Fn = (...args: unknown[]) => string;
const ticking = (budget: RenderBudget, fn: Fn): Fn =>
  Object.assign((...args: unknown[]) => {
    budget.tick();
    return fn(...args);
  }, fn);

/** `each` with a tick per iteration: the only built-in helper that loops. */
function budgetedEach(env: Handlebars, budget: RenderBudget): void {
  const each = env.helpers.each!;
  env.registerHelper('each', function (this: unknown, context: unknown, options: { fn: Fn }) {
    return each.call(this, context, { ...options, fn: ticking(budget, options.fn) });
  });
}

/** `{{log}}` would write to stdout, into the middle of a --json report: it goes to stderr. */
const logToStderr = (...args: unknown[]) => {
  process.stderr.write(`template log: ${args.slice(0, -1).map(String).join(' ')}\n`);
};

/** Why an override's render failed, for a message naming the template. */
function describeRenderError(error: Error): string {
  if (error instanceof RenderBudgetExceeded) return `rendering stopped: ${error.message}; look for a loop or a recursion that does not end`;
  if (error instanceof RangeError) return 'rendering stopped: a partial includes itself without end (maximum call stack size exceeded)';
  return describeTemplateError(error);
}

/**
 * Renders one built-in template set (`fastapi` or `project`), with a project's overrides
 * shadowing templates and partials of the same name. Without overrides, built-ins come
 * precompiled and only Handlebars' small runtime is loaded.
 */
export class Renderer {
  private readonly env: Handlebars;
  private readonly compiled: boolean;
  private readonly overrides: Set<string>;
  private readonly templates = new Map<string, LoadedTemplate>();
  /** Only with overrides: the built-ins are ours and known to end. */
  private readonly budget?: RenderBudget;

  /**
   * @param overrideDir the project's override folder (absolute)
   * @param overrideLabel how messages name that folder, e.g. `.petsage/templates`
   */
  constructor(
    private readonly builtin: string,
    private readonly overrideDir?: string,
    private readonly overrideLabel = overrideDir,
  ) {
    this.overrides = new Set(overrideDir ? listTemplates(overrideDir) : []);
    this.compiled = PRECOMPILED === undefined || this.overrides.size > 0;
    this.env = this.compiled ? compilerEnv() : HandlebarsRuntime.create();
    this.env.registerHelper(HELPERS);
    this.env.registerHelper('log', logToStderr);
    if (this.overrides.size > 0) {
      this.budget = new RenderBudget();
      budgetedEach(this.env, this.budget);
    }
    for (const name of this.builtinNames().filter((file) => file.startsWith(`${PARTIALS}/`))) {
      const { render } = this.load(name);
      this.env.registerPartial(name.slice(PARTIALS.length + 1, -TEMPLATE_SUFFIX.length), this.budget ? ticking(this.budget, render as Fn) : render);
    }
  }

  /** The project overrides some of these templates or partials. */
  get overridden(): boolean {
    return this.overrides.size > 0;
  }

  /** The built-in template names of this set, e.g. `router.py.hbs`, `partials/x.hbs`. */
  builtinNames(): string[] {
    if (this.compiled) return listTemplates(path.join(TEMPLATES_DIR, this.builtin));
    const prefix = `${this.builtin}/`;
    return Object.keys(PRECOMPILED!).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  private load(name: string): LoadedTemplate {
    const cached = this.templates.get(name);
    if (cached) return cached;
    let loaded: LoadedTemplate;
    if (this.overrides.has(name)) {
      const source = readNoFollow(path.join(this.overrideDir!, name), path.posix.join(this.overrideLabel!, name))!.toString('utf8');
      loaded = { render: this.env.compile(source, COMPILE_OPTIONS), overridePath: path.posix.join(this.overrideLabel!, name) };
    } else if (!this.compiled) {
      const spec = PRECOMPILED![`${this.builtin}/${name}`];
      if (!spec) throw new Error(`no built-in template ${this.builtin}/${name}`);
      loaded = { render: this.env.template(spec) };
    } else {
      loaded = { render: this.env.compile(readFileSync(path.join(TEMPLATES_DIR, this.builtin, name), 'utf8'), COMPILE_OPTIONS) };
    }
    this.templates.set(name, loaded);
    return loaded;
  }

  render(name: string, context: object): string {
    const template = this.load(name);
    // A built-in template can fail only through an overridden partial it uses.
    const label = template.overridePath ?? `${name} (with the partials in ${this.overrideLabel})`;
    let output: string;
    try {
      this.budget?.start();
      output = template.render(context);
    } catch (error) {
      if (this.budget) throw invalidInput(`${label}: ${describeRenderError(error as Error)}`, ['Fix the override, or delete it to use the built-in template.']);
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
    if (this.budget && output.length > MAX_OUTPUT) {
      throw invalidInput(`${label}: rendering stopped: it made more than ${MAX_OUTPUT / 1024 / 1024} MiB of output`, ['Fix the override, or delete it to use the built-in template.']);
    }
    return output;
  }
}
