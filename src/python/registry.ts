import { applyInsertions, lineEnding } from './edits.js';
import { formatFromImport, isortKey, LINE_LENGTH } from './format.js';
import { parseImport } from './imports.js';
import { pyString } from './literal.js';
import { scanLogicalLines, stringValue, type LogicalLine } from './scan.js';

/**
 * The models registry (`<pkg>/db/tables.py`): the module that imports every table, so that
 * Alembic's autogenerate and `create_all` see the whole metadata. A resource feature adds its
 * model's import and names the model in `__all__` (ruff refuses an unused import, and the
 * redundant alias that would mark a re-export). Both edits are structural and idempotent, so
 * `remove` takes them back out however the file was reformatted since.
 */
export interface RegistryEntry {
  /** Dotted module of the feature's ORM model. */
  module: string;
  /** The model class. */
  name: string;
}

const topLevel = (source: string) => scanLogicalLines(source).filter((line) => line.indent === '');

/** The `__all__ = [...]` statement, with its names, when it is a plain list of strings. */
function dunderAll(lines: readonly LogicalLine[]): { line: LogicalLine; names: string[]; exploded: boolean } | undefined {
  const line = lines.find((candidate) => candidate.tokens[0]?.text === '__all__' && candidate.tokens[1]?.text === '=');
  if (!line) return undefined;
  const inner = line.tokens.slice(2);
  if (inner[0]?.text !== '[' || inner.at(-1)?.text !== ']') return undefined;
  const items = inner.slice(1, -1).filter((token) => token.text !== ',');
  const names = items.map((token) => (token.kind === 'string' ? stringValue(token) : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  // A comma before the closing bracket keeps the list exploded in ruff format (the magic trailing comma).
  return { line, names: names as string[], exploded: inner.at(-2)?.text === ',' };
}

/**
 * The order of ruff's RUF022: SCREAMING_SNAKE_CASE names, then CamelCase, then the rest, each
 * group in natural order.
 */
function dunderAllKey(name: string): string {
  const group = /^[A-Z0-9_]+$/.test(name) && /[A-Z]/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${group}${name.replace(/\d+/g, (digits) => digits.padStart(24, '0'))}`;
}

function formatDunderAll(names: readonly string[], exploded: boolean, eol: string, lineLength: number): string {
  const items = names.map(pyString);
  const oneLine = `__all__ = [${items.join(', ')}]`;
  if (!exploded && oneLine.length <= lineLength) return oneLine;
  return ['__all__ = [', ...items.map((item) => `    ${item},`), ']'].join(eol);
}

function rewriteDunderAll(source: string, change: (names: string[]) => string[], lineLength: number): string {
  const found = dunderAll(topLevel(source));
  if (!found) return source;
  const names = change(found.names);
  if (names.length === found.names.length && names.every((name, i) => name === found.names[i])) return source;
  const text = formatDunderAll(names, found.exploded && names.length > 0, lineEnding(source), lineLength);
  return source.slice(0, found.line.start) + text + source.slice(found.line.contentEnd);
}

function addImport(source: string, entry: RegistryEntry, lineLength: number): string {
  const eol = lineEnding(source);
  const wanted = formatFromImport(entry.module, [entry.name], '', lineLength).replaceAll('\n', eol);
  const lines = topLevel(source);
  const imports = lines.flatMap((line) => {
    const statement = parseImport(line);
    return statement ? [{ line, statement }] : [];
  });
  if (imports.some(({ statement }) => statement.kind === 'from' && statement.module === entry.module && statement.names.some((name) => name.name === entry.name))) {
    return source;
  }
  const key = isortKey(entry.module);
  const next = imports.find(({ statement }) => statement.kind === 'from' && isortKey(statement.module) > key);
  if (next) return applyInsertions(source, [{ at: next.line.start, text: `${wanted}${eol}` }]).text;
  const last = imports.at(-1);
  if (last) return applyInsertions(source, [{ at: last.line.end, text: `${last.line.end === last.line.contentEnd ? eol : ''}${wanted}${eol}` }]).text;
  // No imports yet: after the docstring (a first statement that is a lone string), a blank line between.
  const first = lines[0];
  const docstring = first && first.tokens.length === 1 && first.tokens[0]!.kind === 'string' ? first : undefined;
  if (!docstring) return `${wanted}${eol}${source}`;
  const ending = docstring.end === docstring.contentEnd ? eol : '';
  return applyInsertions(source, [{ at: docstring.end, text: `${ending}${eol}${wanted}${eol}` }]).text;
}

/**
 * Adds the entry's import among the module's top-level `from` imports, where isort puts it (by
 * module), and its name to `__all__` in RUF022's order. Nothing changes for what is there already.
 */
export function addToRegistry(source: string, entry: RegistryEntry, lineLength = LINE_LENGTH): string {
  const imported = addImport(source, entry, lineLength);
  const add = (names: string[]) => (names.includes(entry.name) ? names : [...names, entry.name].sort((a, b) => (dunderAllKey(a) < dunderAllKey(b) ? -1 : 1)));
  return rewriteDunderAll(imported, add, lineLength);
}

/** Takes the entry's import and its `__all__` name back out; whatever else the file holds stays. */
export function removeFromRegistry(source: string, entry: RegistryEntry, lineLength = LINE_LENGTH): string {
  const line = topLevel(source).find((candidate) => {
    const statement = parseImport(candidate);
    return statement?.kind === 'from' && statement.module === entry.module && statement.names.length === 1 && statement.names[0]!.name === entry.name && !statement.names[0]!.alias;
  });
  const withoutImport = line ? source.slice(0, line.start) + source.slice(line.end) : source;
  return rewriteDunderAll(withoutImport, (names) => names.filter((name) => name !== entry.name), lineLength);
}
