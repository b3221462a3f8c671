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

/**
 * Human-readable output. Results and diagnostics go to separate streams, so a later
 * machine-readable mode can own stdout without touching what the stages produce.
 */
export class Reporter {
  private readonly color: ChalkInstance;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly err: NodeJS.WritableStream & { isTTY?: boolean },
  ) {
    this.color = new Chalk({ level: wantsColor(out) ? 1 : 0 });
  }

  info(text: string): void {
    this.out.write(`${text}\n`);
  }

  error(text: string, details: readonly string[] = []): void {
    const color = new Chalk({ level: wantsColor(this.err) ? 1 : 0 });
    this.err.write(`${color.red('error')} ${text}\n${details.map((line) => `  ${line}\n`).join('')}`);
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
    const paint = { created: this.color.green, updated: this.color.yellow, unchanged: this.color.dim, conflict: this.color.red }[action];
    return paint(action);
  }
}
