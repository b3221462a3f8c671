import { Chalk, type ChalkInstance } from 'chalk';
import type { Change, ChangeAction } from './tree.js';

/** Colour only when the stream is a terminal, unless NO_COLOR or FORCE_COLOR says otherwise. */
export function wantsColor(stream: NodeJS.WritableStream & { isTTY?: boolean }, env = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  action?: ChangeAction;
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

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
  private readonly color: ChalkInstance;
  private readonly errColor: ChalkInstance;
  private readonly human: Stream;

  constructor(
    private readonly out: Stream,
    private readonly err: Stream,
    readonly options: OutputOptions = { json: false, quiet: false, color: true },
  ) {
    this.human = options.json ? err : out;
    this.color = new Chalk({ level: options.color && wantsColor(this.human) ? 1 : 0 });
    this.errColor = new Chalk({ level: options.color && wantsColor(err) ? 1 : 0 });
  }

  info(text: string): void {
    if (!this.options.quiet) this.human.write(`${text}\n`);
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
    const root: TreeNode = { children: new Map() };
    // A plain code-unit order: localeCompare would load ICU collation data, about 10 ms.
    for (const change of [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      let node = root;
      for (const segment of change.path.split('/')) {
        if (!node.children.has(segment)) node.children.set(segment, { children: new Map() });
        node = node.children.get(segment)!;
      }
      node.action = change.action;
    }
    const lines: string[] = [];
    const walk = (node: TreeNode, indent: string) => {
      for (let [name, child] of node.children) {
        // Fold single-child directory chains (app/api/v1/) into one line.
        while (child.action === undefined && child.children.size === 1) {
          const [childName, grandchild] = [...child.children][0]!;
          name = `${name}/${childName}`;
          child = grandchild;
        }
        if (child.action === undefined) {
          lines.push(`${indent}${name}/`);
          walk(child, `${indent}  `);
        } else {
          lines.push(`${indent}${name}  ${this.action(child.action)}`);
        }
      }
    };
    walk(root, '  ');
    this.info(lines.join('\n'));
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

  private action(action: ChangeAction): string {
    const paint = { created: this.color.green, updated: this.color.yellow, unchanged: this.color.dim, conflict: this.color.red, removed: this.color.magenta }[action];
    return paint(action);
  }
}
