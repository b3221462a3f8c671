import type { Change } from '../commit/tree.js';
import { PLAIN, type Palette } from './color.js';
import { changeTree } from './change-tree.js';
import type { TextSink } from './std-streams.js';

type Stream = TextSink;

export interface OutputOptions {
  /** stdout carries one JSON object; human output moves to stderr. */
  json: boolean;
  /** Only errors and warnings. */
  quiet: boolean;
  /** `--no-color`: never colour, whatever the terminal. */
  color: boolean;
}

/**
 * Human-readable output. Results go to stdout and diagnostics to stderr; with --json the
 * human part moves to stderr, so that stdout holds the JSON report alone.
 */
export class Reporter {
  private readonly color: Palette;
  private readonly errColor: Palette;
  private readonly human: Stream;

  constructor(
    private readonly out: Stream,
    private readonly err: Stream,
    readonly options: OutputOptions = { json: false, quiet: false, color: true },
    /** The styles of the human output's stream and of stderr (src/index.ts decides: plain unless a terminal). */
    palettes: { human: Palette; err: Palette } = { human: PLAIN, err: PLAIN },
  ) {
    this.human = options.json ? err : out;
    this.color = palettes.human;
    this.errColor = palettes.err;
  }

  info(text: string): void {
    if (!this.options.quiet) this.human.write(`${text}\n`);
  }

  /** What the user asked the run to find (a drifted file): shown even with --quiet. */
  finding(text: string): void {
    this.human.write(`${text}\n`);
  }

  warn(text: string): void {
    this.err.write(`${this.errColor.yellow('warning')} ${text}\n`);
  }

  error(text: string, details: readonly string[] = []): void {
    this.err.write(`${this.errColor.red('error')} ${text}\n${details.map((line) => `  ${line}\n`).join('')}`);
  }

  /** A progress line on a terminal only, rewritten in place. */
  progress(text: string): void {
    if (!this.options.quiet && this.err.isTTY) this.err.write(`\r${text}\u001b[K`);
  }

  /** The machine-readable result, alone on stdout. */
  result(report: object): void {
    this.out.write(`${JSON.stringify(report, null, 2)}\n`);
  }

  /** The changed files as a tree, each marked with what the run did to it. */
  changes(changes: readonly Change[]): void {
    this.info(changeTree(changes, (change) => this.action(change)));
  }

  /** A unified diff, coloured by line on a terminal. */
  diff(patch: string): void {
    const paint = (line: string) => {
      if (line.startsWith('+++') || line.startsWith('---')) return this.color.bold(line);
      if (line.startsWith('+')) return this.color.green(line);
      if (line.startsWith('-')) return this.color.red(line);
      return line.startsWith('@@') ? this.color.cyan(line) : line;
    };
    this.info(patch.trimEnd().split('\n').map(paint).join('\n'));
  }

  private action({ action, editsKept, merge }: Change): string {
    if (merge === 'markers') return this.color.red(`${action} (merged with your edits, with conflict markers to resolve)`);
    const paint = { created: this.color.green, updated: this.color.yellow, unchanged: this.color.dim, conflict: this.color.red, removed: this.color.magenta }[action];
    const why = editsKept ? ' (edited by hand, kept)' : merge === 'clean' ? ' (merged with your edits)' : '';
    return paint(`${action}${why}`);
  }
}
