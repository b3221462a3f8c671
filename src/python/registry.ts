import { applyInsertions, lineEnding } from './edits.js';
import { formatFromImport, isortKey, LINE_LENGTH, naturalKey, sortByKey } from './format.js';
import { absoluteModule, parseImport } from './imports.js';
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

/**
 * The `__all__ = [...]` statement (or `__all__: list[str] = [...]`), with its names, when it is a
 * plain list of strings; `open` is the index of the list's opening bracket among its tokens.
 */
function dunderAll(lines: readonly LogicalLine[]): { line: LogicalLine; names: string[]; exploded: boolean; open: number } | undefined {
  const equals = (candidate: LogicalLine) => candidate.tokens.findIndex((token) => token.text === '=');
  const line = lines.find((candidate) => candidate.tokens[0]?.text === '__all__' && (candidate.tokens[1]?.text === '=' || (candidate.tokens[1]?.text === ':' && equals(candidate) > 1)));
  if (!line) return undefined;
  const open = equals(line) + 1;
  const inner = line.tokens.slice(open);
  if (inner[0]?.text !== '[' || inner.at(-1)?.text !== ']') return undefined;
  const items = inner.slice(1, -1).filter((token) => token.text !== ',');
  const names = items.map((token) => (token.kind === 'string' ? stringValue(token) : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  // A comma before the closing bracket keeps the list exploded in ruff format (the magic trailing comma).
  return { line, names: names as string[], exploded: inner.at(-2)?.text === ',', open };
}

/** The module's top-level `from` imports, each with its isort key. */
function fromImports(lines: readonly LogicalLine[]) {
  return lines.flatMap((line) => {
    const statement = parseImport(line);
    return statement?.kind === 'from' ? [{ line, statement, key: isortKey(statement.module) }] : [];
  });
}

/** `module name` of every name the imports bring in, to compare with entries (see entryKey). */
const importedKeys = (imports: ReturnType<typeof fromImports>) => new Set(imports.flatMap(({ statement }) => statement.names.map((name) => `${statement.module} ${name.name}`)));
const entryKey = (entry: RegistryEntry) => `${entry.module} ${entry.name}`;

/** Whether each entry is imported and listed in `__all__`: the module read once for any number of entries. */
export function registeredIn(source: string): (entry: RegistryEntry) => boolean {
  const lines = topLevel(source);
  const imported = importedKeys(fromImports(lines));
  const listed = new Set(dunderAll(lines)?.names ?? []);
  return (entry) => imported.has(entryKey(entry)) && listed.has(entry.name);
}

/**
 * The module each name imported at the top of the registry comes from (`Pet` ->
 * `app.api.v1.modules.pets.models`), relative imports resolved from the registry's `package`.
 */
export function importedModels(source: string, packageName: string): Map<string, string> {
  const bound = new Map<string, string>();
  for (const { statement } of fromImports(topLevel(source))) for (const { name, alias } of statement.names) bound.set(alias ?? name, absoluteModule(statement.module, packageName));
  return bound;
}

/** Whether the module has the `__all__ = [...]` list of strings a model's name can be added to. */
export const hasNameList = (source: string) => dunderAll(topLevel(source)) !== undefined;

/**
 * The order of ruff's RUF022: SCREAMING_SNAKE_CASE names, then CamelCase, then the rest, each
 * group in natural order.
 */
function dunderAllKey(name: string): string {
  const group = /^[A-Z0-9_]+$/.test(name) && /[A-Z]/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${group}${naturalKey(name)}`;
}

/** `head` is what comes before the list: `__all__ = `, or the user's annotated form. */
function formatDunderAll(head: string, names: readonly string[], exploded: boolean, eol: string, lineLength: number): string {
  const items = names.map(pyString);
  const oneLine = `${head}[${items.join(', ')}]`;
  if (!exploded && oneLine.length <= lineLength) return oneLine;
  return [`${head}[`, ...items.map((item) => `    ${item},`), ']'].join(eol);
}

/** The statement's text before its list. */
const headOf = (source: string, found: { line: LogicalLine; open: number }) => source.slice(found.line.start, found.line.tokens[found.open]!.start);

function rewriteDunderAll(source: string, change: (names: string[]) => string[], lineLength: number): string {
  const found = dunderAll(topLevel(source));
  if (!found) return source;
  const names = change(found.names);
  if (names.length === found.names.length && names.every((name, i) => name === found.names[i])) return source;
  const text = formatDunderAll(headOf(source, found), names, found.exploded && names.length > 0, lineEnding(source), lineLength);
  return source.slice(0, found.line.start) + text + source.slice(found.line.contentEnd);
}

/**
 * Inserts the imports of the entries not imported yet, each before the first top-level `from`
 * import isort puts after it, else after the last import, else after the docstring; one scan of
 * the module for any number of entries, as a batch of resources edits the registry once.
 */
function addImports(source: string, entries: readonly RegistryEntry[], lineLength: number): string {
  const eol = lineEnding(source);
  const lines = topLevel(source);
  const imports = fromImports(lines);
  const present = importedKeys(imports);
  const unique = [...new Map(entries.map((entry) => [entryKey(entry), entry])).values()];
  const wanted = sortByKey(
    unique.filter((entry) => !present.has(entryKey(entry))),
    (entry) => isortKey(entry.module),
  );
  if (wanted.length === 0) return source;

  // Where the entries that sort after every import go, and what comes before them there.
  const last = imports.at(-1);
  const first = lines[0];
  const docstring = first && first.tokens.length === 1 && first.tokens[0]!.kind === 'string' ? first : undefined;
  const tail = last
    ? { at: last.line.end, before: last.line.end === last.line.contentEnd ? eol : '' }
    : docstring
      ? { at: docstring.end, before: `${docstring.end === docstring.contentEnd ? eol : ''}${eol}` }
      : { at: 0, before: '' };
  const groups = new Map<number, string[]>();
  for (const entry of wanted) {
    const key = isortKey(entry.module);
    const at = imports.find((existing) => existing.key > key)?.line.start ?? tail.at;
    // As isort writes it: in parentheses, on lines of its own, when it does not fit.
    const statement = formatFromImport(entry.module, [entry.name], '', lineLength).replaceAll('\n', eol);
    groups.set(at, [...(groups.get(at) ?? []), `${statement}${eol}`]);
  }
  const insertions = [...groups].map(([at, texts]) => ({ at, text: `${at === tail.at && !imports.some((existing) => existing.line.start === at) ? tail.before : ''}${texts.join('')}` }));
  return applyInsertions(source, insertions).text;
}

/**
 * Adds each entry's import among the module's top-level `from` imports, where isort puts it (by
 * module), and its name to `__all__` in RUF022's order. Nothing changes for what is there already.
 */
export function addToRegistry(source: string, entries: RegistryEntry | readonly RegistryEntry[], lineLength = LINE_LENGTH): string {
  const list: readonly RegistryEntry[] = Array.isArray(entries) ? entries : [entries as RegistryEntry];
  const imported = addImports(source, list, lineLength);
  const add = (names: string[]) => {
    const missing = [...new Set(list.map((entry) => entry.name))].filter((name) => !names.includes(name));
    return missing.length === 0 ? names : sortByKey([...names, ...missing], dunderAllKey);
  };
  return rewriteDunderAll(imported, add, lineLength);
}

/**
 * Takes the entry's import and its `__all__` name back out; whatever else the file holds stays
 * byte for byte. The name goes with its comma (its whole line in an exploded list), so the
 * user's comments and layout inside `__all__` are kept; a list that had been exploded only
 * because it no longer fit goes back on one line once it fits again, as before the model was
 * added. A registry without the import or the name is left as it is.
 */
export function removeFromRegistry(source: string, entry: RegistryEntry, lineLength = LINE_LENGTH): string {
  const line = topLevel(source).find((candidate) => {
    const statement = parseImport(candidate);
    return statement?.kind === 'from' && statement.module === entry.module && statement.names.length === 1 && statement.names[0]!.name === entry.name && !statement.names[0]!.alias;
  });
  if (!line) return removeFromDunderAll(source, entry.name, lineLength);
  const [before, after] = [source.slice(0, line.start), source.slice(line.end)];
  // A lone import between blank lines was added with one of them (after a docstring, say): it
  // goes with it, or two blank lines would be left where ruff format keeps one.
  const eol = lineEnding(source);
  const blankAround = (before.endsWith(`${eol}${eol}`) || before === eol) && after.startsWith(eol);
  return removeFromDunderAll(before + (blankAround ? after.slice(eol.length) : after), entry.name, lineLength);
}

/** Where a physical line starts and ends (past its newline), around `offset`. */
function physicalLine(source: string, offset: number): { start: number; end: number } {
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  const newline = source.indexOf('\n', offset);
  return { start, end: newline < 0 ? source.length : newline + 1 };
}

function removeFromDunderAll(source: string, name: string, lineLength: number): string {
  const found = dunderAll(topLevel(source));
  if (!found || !found.names.includes(name)) return source;
  const { line, names, exploded } = found;
  const tokens = line.tokens;
  const gap = (from: number, to: number) => source.slice(from, to);
  // A comment or a backslash between the tokens: the statement is the user's layout, kept.
  const annotated = tokens.some((token, i) => /[#\\]/.test(gap(token.end, tokens[i + 1]?.start ?? line.contentEnd)));
  const remaining = names.filter((candidate) => candidate !== name);
  const eol = lineEnding(source);
  const oneLine = (list: readonly string[]) => formatDunderAll(headOf(source, found), list, false, eol, Number.POSITIVE_INFINITY);
  // What addToRegistry would have written for the remaining names: one line where it fits.
  const collapse = !annotated && (remaining.length === 0 || (exploded && oneLine(names).length > lineLength && oneLine(remaining).length <= lineLength));
  if (collapse) return source.slice(0, line.start) + oneLine(remaining) + source.slice(line.contentEnd);

  let text = source;
  // Right to left, so earlier offsets stay valid; every occurrence of the name goes.
  for (let i = tokens.length - 2; i > found.open; i -= 1) {
    const token = tokens[i]!;
    if (token.kind !== 'string' || stringValue(token) !== name) continue;
    const comma = tokens[i + 1]!.text === ',' ? tokens[i + 1]! : undefined;
    const before = tokens[i - 1]!;
    const after = tokens[(comma ? i + 2 : i + 1)]!;
    const own = physicalLine(text, token.start);
    const last = comma ?? token;
    // Alone on its line (an exploded list): the whole line goes, its comment too.
    if (text.slice(own.start, token.start).trim() === '' && !/\S/.test(text.slice(last.end, own.end).replace(/#.*/, ''))) {
      text = text.slice(0, own.start) + text.slice(own.end);
      continue;
    }
    // Inline: with the comma after it, or else with the comma before it (the last item).
    const [from, to] = comma && after.text !== ']' ? [token.start, after.start] : before.text === ',' ? [tokens[i - 2]!.end, token.end] : [token.start, last.end];
    text = text.slice(0, from) + text.slice(to);
  }
  return text;
}
