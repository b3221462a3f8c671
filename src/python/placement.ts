import { formatCall, formatFromImport, isortKey, LINE_LENGTH } from './format.js';
import { absoluteModule, bindingsOf, relativeModule, type ImportStatement } from './imports.js';
import { pyString } from './literal.js';
import type { Insertion } from './edits.js';
import type { Include } from './routers.js';
import type { LogicalLine } from './scan.js';
import type { AggregatorEdit, AggregatorFile } from './model.js';

/**
 * Where and in what shape a registration goes: the import in the file's own style (a module
 * list, relative or absolute, sorted where the file is sorted), and the include in the shape of
 * its siblings. Each function answers for one feature against the unpatched file.
 */

const isSorted = (keys: readonly string[]) => keys.every((key, i) => i === 0 || keys[i - 1]! <= key);
const sortKey = isortKey;
const rootPackage = (module: string) => module.split('.')[0];
const hasNewline = (text: string) => /[\r\n]/.test(text);

/** The physical line's leading whitespace at `offset`. */
function indentAt(source: string, offset: number): string {
  const lineStart = Math.max(source.lastIndexOf('\n', offset - 1) + 1, 0);
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * `from app.routes import a, b` where the includes use `a.router`: the new module joins the
 * list, in its sorted place when the list is sorted, keeping a one-per-line layout.
 */
export function addToModuleList(file: AggregatorFile, statement: ImportStatement, leaf: string): Insertion {
  const { source, eol } = file;
  const { names } = statement;
  const onePerLine = names.length > 1 && names.every((name, i) => i === 0 || hasNewline(source.slice(names[i - 1]!.last.end, name.first.start)));
  const keys = names.map((name) => sortKey(name.name));
  const sorted = isSorted(keys);
  const before = sorted ? names.find((_, i) => keys[i]! > sortKey(leaf)) : undefined;
  const tokens = statement.line.tokens;
  const last = names.at(-1)!;
  const afterLast = tokens[tokens.indexOf(last.last) + 1];
  const trailingComma = afterLast?.text === ',';
  if (onePerLine || (names.length === 1 && hasNewline(source.slice(statement.line.start, last.first.start)) && trailingComma)) {
    const indent = indentAt(source, last.first.start);
    const sortAs = sorted ? sortKey(leaf) : undefined;
    if (before) return { at: lineStartOf(source, before.first.start), text: `${indent}${leaf},${eol}`, sortAs };
    if (trailingComma) return { at: afterLast!.end, text: `${eol}${indent}${leaf},`, sortAs };
    return { at: last.last.end, text: `,${eol}${indent}${leaf}`, sortAs };
  }
  const sortAs = sorted ? sortKey(leaf) : undefined;
  if (before) return { at: before.first.start, text: `${leaf}, `, sortAs };
  if (trailingComma) return { at: afterLast!.end, text: ` ${leaf},`, sortAs };
  return { at: last.last.end, text: `, ${leaf}`, sortAs };
}

/** A `from <package> import a, b` whose names the includes use as `<name>.router`. */
export function moduleList(file: AggregatorFile, edit: AggregatorEdit, includes: readonly Include[]): ImportStatement | undefined {
  const parent = edit.routerModule.split('.').slice(0, -1).join('.');
  const usedAsModule = new Set(includes.filter((include) => include.target.endsWith('.router')).map((include) => include.target.split('.')[0]));
  return file.imports.find(
    (statement) =>
      statement.kind === 'from' &&
      absoluteModule(statement.module, edit.aggregatorPackage) === parent &&
      statement.names.some((name) => usedAsModule.has(name.alias ?? name.name)),
  );
}

/** `from <module> import router as <alias>`, spelled relative when the router imports beside it are. */
function newRouterImport(file: AggregatorFile, edit: AggregatorEdit, routerImports: readonly ImportStatement[]): { module: string; text: string } {
  const relative = routerImports.length > 0 && routerImports.every((statement) => statement.module.startsWith('.'));
  const module = relative ? relativeModule(edit.routerModule, edit.aggregatorPackage) : edit.routerModule;
  return { module, text: formatFromImport(module, [`router as ${edit.alias}`], '', edit.lineLength).replaceAll('\n', file.eol) };
}

/**
 * Where a new import line goes: among `from` imports of the same top-level package, in its
 * sorted place when they are sorted (as ruff's isort rule wants); else after the last router
 * import; the first one opens a new group after the last import; with no import, above the router.
 */
export function placeImport(file: AggregatorFile, edit: AggregatorEdit, before: LogicalLine, includes: readonly Include[]): Insertion {
  const { eol } = file;
  const imports = file.imports.filter((statement) => statement.line.start < before.start);
  const includedNames = new Set(includes.map((include) => include.target.split('.')[0]));
  const routerImports = imports.filter((statement) => [...bindingsOf(statement, edit.aggregatorPackage).keys()].some((name) => includedNames.has(name)));
  const { module, text } = newRouterImport(file, edit, routerImports);

  const samePackage = imports.filter((statement) => statement.kind === 'from' && rootPackage(statement.module) === rootPackage(module));
  const keys = samePackage.map((statement) => sortKey(statement.module));
  if (samePackage.length > 0 && isSorted(keys)) {
    const sortAs = sortKey(module);
    const next = samePackage.find((_, i) => keys[i]! > sortAs);
    if (next) return { at: next.line.start, text: `${text}${eol}`, sortAs };
    return { ...after(samePackage.at(-1)!.line, text, eol, false), sortAs };
  }
  const anchor = routerImports.at(-1) ?? imports.at(-1);
  // A new group of router imports is ours to sort; after unsorted ones, order is the features'.
  if (anchor && routerImports.length === 0) return { ...after(anchor.line, text, eol, true), sortAs: sortKey(module) };
  if (anchor) return after(anchor.line, text, eol, false);
  return { at: before.start, text: `${text}${eol}`, blankAfter: true };
}

/** Whole lines after a logical line, keeping a missing final newline missing. */
export function after(line: LogicalLine, text: string, eol: string, blankBefore: boolean): Insertion {
  if (line.end === line.contentEnd) return { at: line.contentEnd, text: `${eol}${text}`, blankBefore };
  return { at: line.end, text: `${text}${eol}`, blankBefore };
}

/**
 * Orders insertions that land at one place (sorted where the file is sorted, else in the
 * features' order) and gives the group a single blank line before or after it.
 */
export function arrange(insertions: readonly Insertion[], eol: string): Insertion[] {
  const groups = new Map<number, Insertion[]>();
  for (const insertion of insertions) {
    const group = groups.get(insertion.at);
    if (group) group.push(insertion);
    else groups.set(insertion.at, [insertion]);
  }
  return [...groups.values()].flatMap((group) => {
    if (group.every((insertion) => insertion.sortAs !== undefined)) group.sort((a, b) => (a.sortAs! < b.sortAs! ? -1 : a.sortAs! > b.sortAs! ? 1 : 0));
    const arranged = group.map((insertion) => ({ ...insertion }));
    if (group.some((insertion) => insertion.blankBefore)) arranged[0]!.text = `${eol}${arranged[0]!.text}`;
    if (group.some((insertion) => insertion.blankAfter)) arranged.at(-1)!.text = `${arranged.at(-1)!.text}${eol}`;
    return arranged.map((insertion, i) => Object.assign(group[i]!, { text: insertion.text }));
  });
}

/** The text of the comment on the physical line just above `line`, if that line is one. */
function commentAbove(source: string, line: LogicalLine): string | undefined {
  if (line.start === 0) return undefined;
  const previousStart = lineStartOf(source, line.start - 1);
  return /^[ \t]*#[ \t]*(.*?)\s*$/.exec(source.slice(previousStart, line.start))?.[1];
}

/** A call spread over lines although it would fit on one: the file's style, not the line length's. */
function wrappedByChoice(call: string, lineLength: number): boolean {
  if (!hasNewline(call)) return false;
  const oneLine = call.replace(/\s*[\r\n]\s*/g, ' ').replace(/\(\s+/g, '(').replace(/,?\s*\)$/, ')');
  return oneLine.length <= lineLength;
}

/** The include statement, in the shape of its last sibling that chose one: one line, or one argument per line. */
export function includeText(file: AggregatorFile, edit: AggregatorEdit, routerVar: string, target: string, prefix: string, siblings: readonly Include[]): string {
  // The prefix and the tag where the siblings set theirs (the router module has the rest).
  const args = [target, ...(edit.prefixInModule ? [] : [`prefix=${pyString(prefix)}`]), ...(edit.tag === undefined ? [] : [`tags=[${pyString(edit.tag)}]`])];
  let text: string;
  const lineLength = edit.lineLength ?? LINE_LENGTH;
  // The last sibling whose shape is a choice: one wrapped only because it is too long says nothing.
  const callOf = (include: Include) => file.source.slice(include.line.start, include.line.contentEnd);
  const last = siblings.filter((include) => !hasNewline(callOf(include)) || wrappedByChoice(callOf(include), lineLength)).at(-1);
  if (last && wrappedByChoice(callOf(last), lineLength)) {
    const indent = indentAt(file.source, last.line.tokens[4]?.start ?? last.line.start) || '    ';
    text = [`${routerVar}.include_router(`, ...args.map((arg) => `${indent}${arg},`), ')'].join(file.eol);
  } else {
    text = formatCall(`${routerVar}.include_router`, args, '', lineLength).replaceAll('\n', file.eol);
  }
  // Two or more includes each under a comment make a convention; one may just be a section header.
  const comments = siblings.map((include) => commentAbove(file.source, include.line));
  if (siblings.length < 2 || comments.some((comment) => comment === undefined)) return text;
  // Comments that give each include's URL path (`# /items`) get the feature's; others its title.
  const byPath = comments.every((comment) => comment!.startsWith('/'));
  return `# ${byPath ? prefix : edit.comment}${file.eol}${text}`;
}
