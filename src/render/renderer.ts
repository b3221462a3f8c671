import { pythonProblems } from '../python/scan.js';
import { lineNumber, showRegion } from '../python/edits.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import HandlebarsRuntime from 'handlebars/runtime';
import { conflict, invalidInput } from '../errors.js';
import { templatesDir } from '../paths.js';
import { requireLazily } from '../lazy-import.js';
import { readNoFollow, targetText } from '../commit/safe-fs.js';
import { PRECOMPILED } from './templates-precompiled.js';
import { budgetedEach, logToStderr, MAX_OUTPUT, RenderBudget, RenderBudgetExceeded, ticking, type Fn } from './budget.js';
import { HELPERS } from './helpers.js';

type Handlebars = typeof HandlebarsRuntime;
type Template = (context: object, options?: { data?: object }) => string;

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
    if (!entry.isFile()) throw conflict(`in the template overrides is not a plain file (a link?); refusing to read it.`, { path: name, hints: ['Replace it with the template itself.'] });
    return [name];
  });
}

/**
 * The full compiler, loaded only when a template was not precompiled (running from source,
 * or a project with overrides), which keeps it off a normal run's start-up.
 */
function compilerEnv(): Handlebars {
  return requireLazily<Handlebars>('handlebars').create();
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
  // Strict mode names the context it looked in as JavaScript prints an object: nothing to read.
  const text = (position ? first.slice(0, position.index) : first).replace(/ not defined in \[object Object\]/, ' not defined');
  return position ? `line ${position[1]}: ${text}` : text;
}

/** Why an override's render failed, for a message naming the template. */
function describeRenderError(error: Error): string {
  if (error instanceof RenderBudgetExceeded) return `rendering stopped: ${error.message}; look for a loop or a recursion that does not end`;
  if (error instanceof RangeError) return 'rendering stopped: a partial includes itself without end (maximum call stack size exceeded)';
  return describeTemplateError(error);
}

/**
 * A precompiled template that sets itself up on its first call only. Handlebars' runtime sets a
 * template up again on every call: it copies and wraps every helper (ours and its own) and makes
 * a new prototype-access policy, which was 95 of the 1,100 MB a batch of 1,000 resources
 * allocated. Each call passes the same options (only `data`), so the setup would be the same.
 * A call as a partial sets the template up from its caller, so the next call does it again.
 * The runtime is bundled, so this is always the version it was written against; a runtime
 * without `_setup` is left as it is.
 */
export function setUpOnce(template: Template): Template {
  const runtime = template as Template & { _setup?: (options: { partial?: boolean }) => void };
  const setup = runtime._setup;
  if (typeof setup !== 'function') return template;
  let setUp = false;
  runtime._setup = (options) => {
    if (options.partial || !setUp) setup(options);
    setUp = !options.partial;
  };
  return template;
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
  private readonly partialOverridden: boolean;
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
    this.partialOverridden = [...this.overrides].some((name) => name.startsWith(`${PARTIALS}/`));
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

  /**
   * Whether what `name` renders may be the project's text: the template is overridden, or a
   * partial is (any template may use any partial). Anything else renders as the built-in does,
   * which the test suite proves formatted and valid.
   */
  overrideShapes(name: string): boolean {
    return this.partialOverridden || this.overrides.has(name);
  }

  /** The built-in template names of this set, e.g. `router.py.hbs`, `partials/x.hbs`. */
  builtinNames(): string[] {
    if (this.compiled) return listTemplates(path.join(templatesDir(), this.builtin));
    const prefix = `${this.builtin}/`;
    return Object.keys(PRECOMPILED!).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }

  private load(name: string): LoadedTemplate {
    const cached = this.templates.get(name);
    if (cached) return cached;
    let loaded: LoadedTemplate;
    if (this.overrides.has(name)) {
      const label = path.posix.join(this.overrideLabel!, name);
      // Strict: an override that is not UTF-8 is refused (exit 3), not rendered with U+FFFD.
      const source = targetText(readNoFollow(path.join(this.overrideDir!, name), label)!, label);
      loaded = { render: this.env.compile(source, COMPILE_OPTIONS), overridePath: path.posix.join(this.overrideLabel!, name) };
    } else if (!this.compiled) {
      const spec = PRECOMPILED![`${this.builtin}/${name}`];
      if (!spec) throw new Error(`no built-in template ${this.builtin}/${name}`);
      loaded = { render: setUpOnce(this.env.template(spec)) };
    } else {
      loaded = { render: this.env.compile(readFileSync(path.join(templatesDir(), this.builtin, name), 'utf8'), COMPILE_OPTIONS) };
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
      // Helpers read the root context (its line length) from `data`, which Handlebars sets up
      // only for templates that use `@` variables: passed here for all of them.
      output = template.render(context, { data: { root: context } });
    } catch (error) {
      if (this.budget) throw invalidInput(`${describeRenderError(error as Error)}`, { path: label, hints: ['Fix the override, or delete it to use the built-in template.'] });
      throw new Error(`template ${name}: ${(error as Error).message}`, { cause: error });
    }
    if (this.budget && output.length > MAX_OUTPUT) {
      throw invalidInput(`rendering stopped: it made more than ${MAX_OUTPUT / 1024 / 1024} MiB of output`, { path: label, hints: ['Fix the override, or delete it to use the built-in template.'] });
    }
    // The built-ins are tested to make Python that parses; an override is the project's text, so
    // what it makes is checked before anything is written, as far as the tokenizer sees.
    const broken = this.budget && name.endsWith('.py.hbs') && this.overrideShapes(name) ? pythonProblems(output)[0] : undefined;
    if (broken) {
      throw invalidInput(`renders Python that is not valid (${broken.message}, at line ${lineNumber(output, broken.offset)} of what it rendered); nothing was written.`, {
        path: label,
        context: showRegion(output, broken.offset),
        hints: ['Fix the override, or delete it to use the built-in template.'],
      });
    }
    return output;
  }
}
