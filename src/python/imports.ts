import type { LogicalLine, Token } from './scan.js';
import { splitTopLevel } from './scan.js';

/** One name of an import statement: `router`, or `router as items_router`. */
export interface ImportedName {
  name: string;
  alias: string | undefined;
  /** The name's first token and the part's last token (the alias when there is one). */
  first: Token;
  last: Token;
}

export interface ImportStatement {
  line: LogicalLine;
  kind: 'from' | 'import';
  /** For `from`, the module as written, leading dots included: `.routes`, `app.api`. */
  module: string;
  names: ImportedName[];
}

const tokenTexts = (tokens: readonly Token[]) => tokens.map((token) => token.text).join('');

export function parseImport(line: LogicalLine): ImportStatement | undefined {
  const [first] = line.tokens;
  if (first?.text !== 'from' && first?.text !== 'import') return undefined;
  const importAt = first.text === 'from' ? line.tokens.findIndex((token) => token.text === 'import') : 0;
  if (importAt < 0) return undefined;
  const listed = line.tokens.slice(importAt + 1).filter((token) => token.text !== '(' && token.text !== ')');
  const names = splitTopLevel(listed).map((part): ImportedName => {
    const asAt = part.findIndex((token) => token.text === 'as');
    return {
      name: tokenTexts(asAt >= 0 ? part.slice(0, asAt) : part),
      alias: asAt >= 0 ? part[asAt + 1]?.text : undefined,
      first: part[0]!,
      last: part.at(-1)!,
    };
  });
  const module = first.text === 'from' ? tokenTexts(line.tokens.slice(1, importAt)) : '';
  return { line, kind: first.text, module, names };
}

const segments = (dotted: string) => (dotted === '' ? [] : dotted.split('.'));

/** `..x` inside package `a.b.c` is `a.b.x`; an absolute module stays as it is. */
export function absoluteModule(module: string, packageName: string): string {
  const dots = /^\.*/.exec(module)![0].length;
  if (dots === 0) return module;
  const base = segments(packageName);
  return [...base.slice(0, base.length - (dots - 1)), ...segments(module.slice(dots))].join('.');
}

/** The relative spelling of `module` from inside package `packageName`: `.modules.x`, `..x`. */
export function relativeModule(module: string, packageName: string): string {
  const target = segments(module);
  const from = segments(packageName);
  let common = 0;
  while (common < from.length && common < target.length - 1 && from[common] === target[common]) common += 1;
  return '.'.repeat(from.length - common + 1) + target.slice(common).join('.');
}

/** Each name the statement binds, mapped to the absolute dotted path it stands for. */
export function bindingsOf(statement: ImportStatement, packageName: string): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const { name, alias } of statement.names) {
    if (statement.kind === 'from') {
      bindings.set(alias ?? name, `${absoluteModule(statement.module, packageName)}.${name}`);
    } else if (alias) {
      bindings.set(alias, name);
    } else {
      // `import a.b` binds `a`, which stands for the package itself.
      const head = name.split('.')[0]!;
      bindings.set(head, head);
    }
  }
  return bindings;
}
