import type HandlebarsRuntime from 'handlebars/runtime';
import { stderr } from '../output/std-streams.js';

type Handlebars = typeof HandlebarsRuntime;

/**
 * A project's overrides are its own code, but still input: a loop or a recursion in one must end
 * the run with an error naming it, not hang it. Every block iteration and partial call ticks;
 * past a count or a time, or an output size, the render stops.
 */
const MAX_TICKS = 2_000_000;
const MAX_RENDER_MS = 5_000;
export const MAX_OUTPUT = 8 * 1024 * 1024;

export class RenderBudgetExceeded extends Error {}

export class RenderBudget {
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

export type Fn = (...args: unknown[]) => string;
export const ticking = (budget: RenderBudget, fn: Fn): Fn =>
  Object.assign((...args: unknown[]) => {
    budget.tick();
    return fn(...args);
  }, fn);

/** `each` with a tick per iteration: the only built-in helper that loops. */
export function budgetedEach(env: Handlebars, budget: RenderBudget): void {
  const each = env.helpers.each!;
  env.registerHelper('each', function (this: unknown, context: unknown, options: { fn: Fn }) {
    return each.call(this, context, { ...options, fn: ticking(budget, options.fn) });
  });
}

/** `{{log}}` would write to stdout, into the middle of a --json report: it goes to stderr. */
export const logToStderr = (...args: unknown[]) => {
  stderr.write(`template log: ${args.slice(0, -1).map(String).join(' ')}\n`);
};
