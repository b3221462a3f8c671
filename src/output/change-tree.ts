import type { Change } from '../commit/tree.js';

interface TreeNode {
  children: Map<string, TreeNode>;
  change?: Change;
}

/**
 * The changed files as an indented tree, single-child folder chains folded into one line
 * (`app/api/v1/`), each file followed by what the run did to it, as `paint` renders it.
 */
export function changeTree(changes: readonly Change[], paint: (change: Change) => string): string {
  const root: TreeNode = { children: new Map() };
  // A plain code-unit order: localeCompare would load ICU collation data, about 10 ms.
  for (const change of [...changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    let node = root;
    for (const segment of change.path.split('/')) {
      if (!node.children.has(segment)) node.children.set(segment, { children: new Map() });
      node = node.children.get(segment)!;
    }
    node.change = change;
  }
  const lines: string[] = [];
  const walk = (node: TreeNode, indent: string) => {
    for (let [name, child] of node.children) {
      while (child.change === undefined && child.children.size === 1) {
        const [childName, grandchild] = [...child.children][0]!;
        name = `${name}/${childName}`;
        child = grandchild;
      }
      if (child.change === undefined) {
        lines.push(`${indent}${name}/`);
        walk(child, `${indent}  `);
      } else {
        lines.push(`${indent}${name}  ${paint(child.change)}`);
      }
    }
  };
  walk(root, '  ');
  return lines.join('\n');
}
