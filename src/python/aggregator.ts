import { conflict } from '../errors.js';
import { applyInsertions, lineEnding, lineNumber, showRegion, type AddedText, type Insertion } from './edits.js';
import { formatCall, formatFromImport, LINE_LENGTH } from './format.js';
import { absoluteModule, bindingsOf, parseImport, relativeModule, type ImportStatement } from './imports.js';
import { pyString } from './literal.js';
import { detectRouter, findRouterDefinitions, parseInclude, type Include, type RouterDefinition } from './routers.js';
import { scanPython, type LogicalLine } from './scan.js';

/** What registering one feature in the aggregator means. */
export interface AggregatorEdit {
  /** The aggregator's path in the target, for messages. */
  file: string;
  /** The variable features are mounted on; undefined to detect it. */
  routerVar: string | undefined;
  /** The absolute module whose `router` attribute is the feature's router. */
  routerModule: string;
  /** The package the aggregator belongs to, to read and write relative imports. */
  aggregatorPackage: string;
  /** The name a new import binds, e.g. `pet_profile_router`. */
  alias: string;
  /** The feature's own URL segment, e.g. `/pet-profile`. */
  segment: string;
  /**
   * The API's URL prefix, e.g. `/api/v1`. Features included straight into the app carry it in
   * their include; a router of its own is mounted under it already.
   */
  apiPrefix: string;
  /** The comment put above the include when the file comments each of its includes. */
  comment: string;
}

export interface PatchResult {
  text: string;
  changed: boolean;
  /** The router the feature was mounted on (configured or detected). */
  routerVar: string;
  /** Exactly what was added, so that `unpatchAggregator` can take it out again. */
  added: AddedText[];
}

/** The file as the patcher understands it. */
interface Aggregator {
  source: string;
  eol: string;
  topLevel: LogicalLine[];
  imports: ImportStatement[];
  bindings: Map<string, string>;
  definitions: RouterDefinition[];
  includes: Include[];
}

function analyse(source: string, edit: AggregatorEdit): Aggregator {
  const { lines, problems } = scanPython(source);
  if (problems.length > 0) {
    const [problem] = problems;
    throw conflict(`${edit.file}:${lineNumber(source, problem!.offset)}: is not valid Python (${problem!.message}); nothing was changed.`, [
      ...showRegion(source, problem!.offset),
      'Fix the file, then run again.',
    ]);
  }
  const topLevel = lines.filter((line) => line.indent === '');
  const imports = topLevel.flatMap((line) => parseImport(line) ?? []);
  const bindings = new Map<string, string>();
  for (const statement of imports) for (const [name, dotted] of bindingsOf(statement, edit.aggregatorPackage)) bindings.set(name, dotted);
  return {
    source,
    eol: lineEnding(source),
    topLevel,
    imports,
    bindings,
    definitions: findRouterDefinitions(topLevel),
    includes: topLevel.flatMap((line) => parseInclude(line) ?? []),
  };
}

/** `items.router` with `items` bound to `app.routes.items` is `app.routes.items.router`. */
function resolve(expression: string, bindings: Map<string, string>): string {
  const [head, ...rest] = expression.split('.');
  const bound = bindings.get(head!);
  return bound === undefined ? expression : [bound, ...rest].join('.');
}

function definitionOf(file: Aggregator, routerVar: string, edit: AggregatorEdit): LogicalLine {
  const definition = file.definitions.find((candidate) => candidate.name === routerVar);
  if (definition) return definition.line;
  throw conflict(`${edit.file}: found no top-level \`${routerVar} = APIRouter(...)\` (or FastAPI(...)) to mount the feature on.`, [
    'Set `router` (the variable) and `aggregator` (the file) under [tool.petsage] in pyproject.toml to point at the right place.',
  ]);
}

const isSorted = (keys: readonly string[]) => keys.every((key, i) => i === 0 || keys[i - 1]! <= key);
const sortKey = (text: string) => text.toLowerCase();
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
function addToModuleList(file: Aggregator, statement: ImportStatement, leaf: string): Insertion {
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
function moduleList(file: Aggregator, edit: AggregatorEdit, includes: readonly Include[]): ImportStatement | undefined {
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
function newRouterImport(file: Aggregator, edit: AggregatorEdit, routerImports: readonly ImportStatement[]): { module: string; text: string } {
  const relative = routerImports.length > 0 && routerImports.every((statement) => statement.module.startsWith('.'));
  const module = relative ? relativeModule(edit.routerModule, edit.aggregatorPackage) : edit.routerModule;
  return { module, text: formatFromImport(module, [`router as ${edit.alias}`]).replaceAll('\n', file.eol) };
}

/**
 * Where a new import line goes: among `from` imports of the same top-level package, in its
 * sorted place when they are sorted (as ruff's isort rule wants); else after the last router
 * import; the first one opens a new group after the last import; with no import, above the router.
 */
function placeImport(file: Aggregator, edit: AggregatorEdit, before: LogicalLine, includes: readonly Include[]): Insertion {
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
function after(line: LogicalLine, text: string, eol: string, blankBefore: boolean): Insertion {
  if (line.end === line.contentEnd) return { at: line.contentEnd, text: `${eol}${text}`, blankBefore };
  return { at: line.end, text: `${text}${eol}`, blankBefore };
}

/**
 * Orders insertions that land at one place (sorted where the file is sorted, else in the
 * features' order) and gives the group a single blank line before or after it.
 */
function arrange(insertions: readonly Insertion[], eol: string): Insertion[] {
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

/** The physical line just above `line` is a comment. */
function commentedAbove(source: string, line: LogicalLine): boolean {
  if (line.start === 0) return false;
  const previousStart = lineStartOf(source, line.start - 1);
  return /^[ \t]*#/.test(source.slice(previousStart, line.start));
}

/** A call spread over lines although it would fit on one: the file's style, not the line length's. */
function wrappedByChoice(call: string): boolean {
  if (!hasNewline(call)) return false;
  const oneLine = call.replace(/\s*[\r\n]\s*/g, ' ').replace(/\(\s+/g, '(').replace(/,?\s*\)$/, ')');
  return oneLine.length <= LINE_LENGTH;
}

/** The include statement, in the shape of its last sibling: one line, or one argument per line. */
function includeText(file: Aggregator, edit: AggregatorEdit, routerVar: string, target: string, prefix: string, siblings: readonly Include[]): string {
  const args = [target, `prefix=${pyString(prefix)}`];
  const last = siblings.at(-1);
  let text: string;
  if (last && wrappedByChoice(file.source.slice(last.line.start, last.line.contentEnd))) {
    const indent = indentAt(file.source, last.line.tokens[4]?.start ?? last.line.start) || '    ';
    text = [`${routerVar}.include_router(`, ...args.map((arg) => `${indent}${arg},`), ')'].join(file.eol);
  } else {
    text = formatCall(`${routerVar}.include_router`, args).replaceAll('\n', file.eol);
  }
  // Two or more includes each under a comment make a convention; one may just be a section header.
  const commented = siblings.length > 1 && siblings.every((include) => commentedAbove(file.source, include.line));
  return commented ? `# ${edit.comment}${file.eol}${text}` : text;
}

/** One feature's part of a patch: what was added for it, to take out again on remove. */
export interface FeaturePatch {
  changed: boolean;
  added: AddedText[];
}

export interface BatchPatchResult {
  text: string;
  changed: boolean;
  routerVar: string;
  /** In the order of the edits. */
  features: FeaturePatch[];
}

/** The insertions one feature needs, against the unpatched file. */
function featureInsertions(file: Aggregator, edit: AggregatorEdit, routerVar: string, definition: LogicalLine): Insertion[] {
  const { source } = file;
  const onApp = file.definitions.find((candidate) => candidate.name === routerVar)?.callee === 'FastAPI';
  const prefix = onApp ? `${edit.apiPrefix.replace(/\/$/, '')}${edit.segment}` : edit.segment;
  const includes = file.includes.filter((include) => include.owner === routerVar);

  const featureRouter = `${edit.routerModule}.router`;
  if (includes.some((include) => resolve(include.target, file.bindings) === featureRouter)) return [];
  const clash = includes.find((include) => include.prefix === prefix);
  if (clash) {
    throw conflict(`${edit.file}:${lineNumber(source, clash.line.start)}: \`${clash.target}\` is already mounted at "${prefix}".`, [
      'Choose another feature name, or remove the existing include first.',
    ]);
  }

  // Nothing may follow the point where this router is itself included into another.
  const composition = file.includes.find((include) => include.target === routerVar && include.line.start > definition.start);
  const lastInclude = includes.filter((include) => !composition || include.line.start < composition.line.start).at(-1);
  const insertions: Insertion[] = [];

  let target = [...file.bindings].find(([, dotted]) => dotted === featureRouter)?.[0];
  if (target === undefined) {
    const leaf = edit.routerModule.split('.').at(-1)!;
    const list = moduleList(file, edit, includes);
    const taken = list ? leaf : edit.alias;
    if (file.bindings.has(taken)) {
      throw conflict(`${edit.file}: the name \`${taken}\` is already imported for something else.`, ['Rename that import, or choose another feature name.']);
    }
    insertions.push(list ? addToModuleList(file, list, leaf) : placeImport(file, edit, definition, includes));
    target = list ? `${leaf}.router` : edit.alias;
  }

  const include = includeText(file, edit, routerVar, target, prefix, includes);
  if (lastInclude) insertions.push(after(lastInclude.line, include, file.eol, false));
  else if (composition) insertions.push({ at: composition.line.start, text: `${include}${file.eol}`, blankAfter: true });
  else insertions.push(after(definition, include, file.eol, true));
  return insertions;
}

/**
 * Registers several features at once, from one reading of the file: the aggregator is patched
 * once per batch, never once per feature. Insertions that land at the same place keep the
 * features' order (or their sorted order, where the file is sorted), and share one blank line.
 */
export function patchAggregatorMany(source: string, edits: readonly AggregatorEdit[]): BatchPatchResult {
  const [first] = edits;
  if (!first) throw new Error('patchAggregatorMany needs at least one edit');
  const file = analyse(source, first);
  const routerVar = first.routerVar ?? detectRouter(file.definitions, file.includes, first.file, source);
  const definition = definitionOf(file, routerVar, first);
  const perFeature = edits.map((edit) => featureInsertions(file, edit, routerVar, definition));
  const owners = new Map<Insertion, number>();
  perFeature.forEach((insertions, i) => insertions.forEach((insertion) => owners.set(insertion, i)));
  const insertions = arrange(perFeature.flat(), file.eol);
  if (insertions.length === 0) return { text: source, changed: false, routerVar, features: edits.map(() => ({ changed: false, added: [] })) };

  const { text, added } = applyInsertions(source, insertions);
  const broken = scanPython(text).problems[0];
  if (broken) {
    throw conflict(`${first.file}:${lineNumber(text, broken.offset)}: the patched file would not be valid Python (${broken.message}); nothing was written.`, [
      ...showRegion(text, broken.offset),
    ]);
  }
  const features = edits.map((): FeaturePatch => ({ changed: false, added: [] }));
  insertions.forEach((insertion, i) => {
    const feature = features[owners.get(insertion)!]!;
    feature.changed = true;
    feature.added.push(added[i]!);
  });
  return { text, changed: true, routerVar, features };
}

/** Registers one feature. A registration already there, however it is spelled, changes nothing. */
export function patchAggregator(source: string, edit: AggregatorEdit): PatchResult {
  const { text, changed, routerVar, features } = patchAggregatorMany(source, [edit]);
  return { text, changed, routerVar, added: features[0]!.added };
}

export { unpatchAggregator } from './edits.js';
