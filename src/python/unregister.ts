import { includeComments, resolve } from './aggregator.js';
import { cut, lineNumber } from './edits.js';
import { bindingsOf, parseImport, type ImportedName, type ImportStatement } from './imports.js';
import type { AggregatorEdit, AggregatorFile } from './model.js';
import { scanPython, type LogicalLine } from './scan.js';

/**
 * Taking a feature's registration out by its structure, wherever and however the project's
 * formatter laid it out: the includes that mount the feature's router (wrapped or not), the
 * comment the patch puts above one, and the imports that bind its module (a statement of its
 * own, or its one name in a module list, on one line or one per line). Derived from the fresh
 * plan alone, so a record cannot steer it; the result must parse and name the module nowhere.
 */

/** `dotted` is the module itself or something inside it (its `router`). */
const inModule = (dotted: string, module: string) => dotted === module || dotted.startsWith(`${module}.`);

/** The names the file binds at top level to the feature's module or anything in it. */
export function moduleNames(file: AggregatorFile, edit: AggregatorEdit): Set<string> {
  return new Set([...file.bindings].filter(([, dotted]) => inModule(dotted, edit.routerModule)).map(([name]) => name));
}

/**
 * Where `source` still names the feature's module, one line each: an import of it at any depth,
 * or a use of a name that bound it (`names`), which would fail once the module is gone. Empty
 * when it names it nowhere; a file that no longer parses is a problem too.
 */
export function mentionsOfModule(source: string, edit: AggregatorEdit, names: ReadonlySet<string>): string[] {
  const { lines, problems } = scanPython(source);
  if (problems[0]) return [`the result would not be valid Python (${problems[0].message}) at line ${lineNumber(source, problems[0].offset)}`];
  // Named by the statement, not a line number: lines move as the registration comes out.
  const quoted = (line: LogicalLine) => `\`${shortened(source.slice(line.tokens[0]!.start, line.contentEnd))}\``;
  return lines.flatMap((line) => {
    const statement = parseImport(line);
    if (statement) {
      const imported = statement.kind === 'import' ? statement.names.map((name) => name.name) : [...bindingsOf(statement, edit.aggregatorPackage).values()];
      return imported.some((dotted) => inModule(dotted, edit.routerModule)) ? [`${quoted(line)} would still import ${edit.routerModule}`] : [];
    }
    const used = line.tokens.find((token, i) => token.kind === 'name' && names.has(token.text) && line.tokens[i - 1]?.text !== '.');
    return used ? [`${quoted(line)} would still use ${used.text}, which names ${edit.routerModule}`] : [];
  });
}

/** A statement on one line, cut to 72 characters, for a message. */
function shortened(statement: string): string {
  const flat = statement.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat.length > 72 ? `${flat.slice(0, 71)}…` : flat;
}

/** A span to take out: whole lines (blank lines around minded by `cut`), or a part of one statement. */
interface Span {
  start: number;
  end: number;
  wholeLines: boolean;
}

/** The comment line the patch puts above an include (its title or its path), when it is right above it. */
function commentStart(source: string, line: LogicalLine, comments: readonly string[]): number | undefined {
  const previous = source.lastIndexOf('\n', line.start - 2) + 1;
  return line.start > 0 && comments.includes(source.slice(previous, line.start).trim()) ? previous : undefined;
}

/** The name a part of an import binds: its alias, or the name (the first segment, for `import a.b`). */
const boundName = (statement: ImportStatement, name: ImportedName) => name.alias ?? (statement.kind === 'import' ? name.name.split('.')[0]! : name.name);

/**
 * One name out of an import list: its whole physical line when it stands on one of its own (one
 * name per line, as ruff lays out a list that does not fit), else the name with one comma.
 */
function nameSpan(source: string, statement: ImportStatement, index: number): Span {
  const { names, line } = statement;
  const name = names[index]!;
  const after = line.tokens[line.tokens.indexOf(name.last) + 1];
  const last = after?.text === ',' ? after : name.last;
  const lineStart = source.lastIndexOf('\n', name.first.start - 1) + 1;
  const lineEnd = source.indexOf('\n', last.end);
  const rest = lineEnd < 0 ? '' : source.slice(last.end, lineEnd);
  if (source.slice(lineStart, name.first.start).trim() === '' && (rest.trim() === '' || rest.trim().startsWith('#'))) {
    return { start: lineStart, end: lineEnd + 1, wholeLines: false };
  }
  const next = names[index + 1];
  if (next) return { start: name.first.start, end: next.first.start, wholeLines: false };
  return { start: names[index - 1]!.last.end, end: name.last.end, wholeLines: false };
}

/** The spans of the imports that bind the feature's module: whole statements, or names out of lists. */
function importSpans(file: AggregatorFile, names: ReadonlySet<string>): Span[] {
  return file.imports.flatMap((statement): Span[] => {
    const dropped = statement.names.map((name, i) => (names.has(boundName(statement, name)) ? i : -1)).filter((i) => i >= 0);
    if (dropped.length === 0) return [];
    if (dropped.length === statement.names.length) return [{ start: statement.line.start, end: statement.line.end, wholeLines: true }];
    return dropped.map((i) => nameSpan(file.source, statement, i));
  });
}

/** A last line with no line break after it takes the one before it, so the file still ends without one. */
const withLineBreakBefore = (source: string) => (span: Span): Span => {
  if (span.end !== source.length || /\n$/.test(source)) return span;
  const breakBefore = /\r?\n$/.exec(source.slice(0, span.start))?.[0] ?? '';
  return { ...span, start: span.start - breakBefore.length, wholeLines: false };
};

export type StructuralRemoval = { ok: true; text: string } | { ok: false; problems: string[] };

/**
 * The aggregator without the feature's registration, found by structure; or, when what is left
 * would not parse or would still name the module (an include inside a block, a use elsewhere),
 * why it cannot be taken out cleanly.
 */
export function removeStructurally(file: AggregatorFile, edit: AggregatorEdit): StructuralRemoval {
  const { source } = file;
  const names = moduleNames(file, edit);
  const router = `${edit.routerModule}.router`;
  const includes = file.includes.filter((include) => resolve(include.target, file.bindings) === router);
  const comments = includeComments(file, edit, includes[0]?.owner ?? edit.routerVar ?? '');
  const spans: Span[] = [
    ...includes.map(({ line }) => ({ start: commentStart(source, line, comments) ?? line.start, end: line.end, wholeLines: true })).map(withLineBreakBefore(source)),
    ...importSpans(file, names),
  ];
  // Last first, so that earlier offsets still hold.
  let text = source;
  for (const span of spans.sort((a, b) => b.start - a.start)) {
    text = span.wholeLines ? cut(text, span.start, span.end - span.start) : text.slice(0, span.start) + text.slice(span.end);
  }
  const problems = mentionsOfModule(text, edit, names);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, text };
}
