import { formatFromImport, isortKey, sortByKey } from '../python/format.js';
import { importNameKey } from '../python/layout.js';
import { memoized } from '../data.js';
import type { CodeStyle } from '../python/code-style.js';

const STDLIB = new Set(['collections', 'datetime', 'decimal', 'json', 'math', 'os', 'typing', 'uuid']);
const THIRD_PARTY = new Set(['alembic', 'fastapi', 'pydantic', 'pytest', 'sqlalchemy', 'starlette']);

// Sort keys and sections remembered: a batch's modules import the same names again and again.
const moduleKey = memoized(isortKey);
/** By the imported name, then its alias: `Model as Base` sorts as a class named Model. */
const nameKey = memoized((name) => name.split(' as ').map(importNameKey).join(' '));
/** 0 for the standard library, 1 for third parties, 2 for the project. */
const sectionOf = memoized((module) => {
  const root = module.split('.')[0]!;
  return STDLIB.has(root) ? 0 : THIRD_PARTY.has(root) ? 1 : 2;
});

/**
 * The imports of one generated module, collected while its lines are built and written as
 * ruff's isort writes them: standard library, third party, then the project, each section's
 * `import x` lines before its `from x import` lines, modules and names in isort's order.
 */
export class Imports {
  private readonly plain = new Set<string>();
  private readonly from = new Map<string, Set<string>>();

  /** Laid out at the style's line length, with UTC as its Python floor spells it. */
  constructor(private readonly style: CodeStyle) {}

  /** UTC as the target's Python spells it, with its import. */
  utc(): string {
    this.add('datetime', this.style.utc.name);
    return this.style.utc.value;
  }

  /** Names from `module`; a name may be `x as y`. */
  add(module: string, ...names: string[]): this {
    if (names.length === 0) return this;
    let set = this.from.get(module);
    if (set === undefined) this.from.set(module, (set = new Set()));
    for (const name of names) set.add(name);
    return this;
  }

  module(statement: string): this {
    this.plain.add(statement);
    return this;
  }

  toString(): string {
    const sections: string[][] = [[], [], []];
    for (const statement of sortByKey(this.plain, moduleKey)) sections[sectionOf(statement.split(' ')[0]!)]!.push(`import ${statement}`);
    for (const module of sortByKey(this.from.keys(), moduleKey)) {
      const section = sections[sectionOf(module)]!;
      for (const statement of fromStatements(sortByKey(this.from.get(module)!, nameKey))) section.push(formatFromImport(module, statement, '', this.style.lineLength));
    }
    return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n');
  }
}

/**
 * A module's names, sorted, as ruff's isort (combine-as-imports off) writes them: the plain
 * names on one statement, each `x as y` on one of its own, the statements in the order of their
 * first names.
 */
function fromStatements(names: string[]): string[][] {
  if (!names.some((name) => name.includes(' as '))) return [names];
  const plain = names.filter((name) => !name.includes(' as '));
  const aliased = names.filter((name) => name.includes(' as ')).map((name) => [name]);
  return sortByKey([...(plain.length > 0 ? [plain] : []), ...aliased], (statement) => nameKey(statement[0]!));
}
