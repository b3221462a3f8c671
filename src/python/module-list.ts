import type { Insertion } from './edits.js';
import type { ImportStatement } from './imports.js';
import type { AggregatorFile } from './model.js';

/** A feature's name joining a module list (`from app.api.routes import items, users`). */
export interface ListAddition {
  insertion: Insertion;
  leaf: string;
}

const INDENT = '    ';

/**
 * When the names a batch adds make a one-line module list longer than the line length, the list
 * is wrapped as ruff's isort wraps it: one name per line in parentheses, with a trailing comma.
 * Done with insertions only, so that taking them back out gives the one-line list again: `(`
 * and a line break before the first name, a line break after each comma (its space then indents
 * the next name), a comma and `)` after the last; the added names take the vertical shape.
 * Returns the wrapping insertions (empty when the list fits or is not a plain one-line list);
 * the additions' texts are changed in place.
 */
export function wrapModuleList(file: AggregatorFile, statement: ImportStatement, additions: readonly ListAddition[], lineLength: number): Insertion[] {
  const { source, eol } = file;
  const { names, line } = statement;
  const text = source.slice(line.start, line.contentEnd);
  // Only the plain form ruff writes for a list that fits: no parentheses, continuation or comment.
  if (/[()\\#\r\n]/.test(text) || line.indent !== '' || names.length === 0) return [];
  if (names.some((name, i) => i > 0 && source.slice(names[i - 1]!.last.end, name.first.start) !== ', ')) return [];
  const length = text.length + additions.reduce((sum, { leaf }) => sum + leaf.length + 2, 0);
  if (length <= lineLength) return [];

  const sorted = additions.every(({ insertion }) => insertion.sortAs !== undefined);
  for (const { insertion, leaf } of additions) {
    insertion.text = insertion.text === `${leaf}, ` ? `${leaf},${eol}${INDENT}` : `,${eol}${INDENT}${leaf}`;
  }
  const last = names.at(-1)!;
  return [
    // Sorted lists order insertions at one place by key: the opening first, the closing last.
    { at: names[0]!.first.start, text: `(${eol}${INDENT}`, ...(sorted && { sortAs: '' }) },
    ...names.slice(0, -1).map((name) => ({ at: name.last.end + 1, text: `${eol}${INDENT.slice(1)}` })),
    { at: last.last.end, text: `,${eol})`, ...(sorted && { sortAs: '\uffff' }) },
  ];
}

/**
 * The one-line form of a module list this feature's patch wrapped, once taking names out has
 * made it fit again: `(`-wrapped, one name per line, nothing else inside. The list is the one
 * that imports modules of the feature's package; anything else stays as it is.
 */
export function unwrapModuleList(file: AggregatorFile, featurePackage: string, lineLength: number): string | undefined {
  const { source } = file;
  for (const statement of file.imports) {
    const bound = statement.kind === 'from' ? file.bindings.get(statement.names[0]?.alias ?? statement.names[0]?.name ?? '') : undefined;
    if (bound === undefined || bound.slice(0, bound.lastIndexOf('.')) !== featurePackage) continue;
    const { line, names } = statement;
    const text = source.slice(line.start, line.contentEnd);
    const open = text.indexOf('(');
    if (open < 0 || text.includes('#') || text.includes('\\')) continue;
    const written = names.map((name) => source.slice(name.first.start, name.last.end));
    const oneLine = `${text.slice(0, open)}${written.join(', ')}`;
    if (oneLine.length > lineLength) continue;
    return source.slice(0, line.start) + oneLine + source.slice(line.contentEnd);
  }
  return undefined;
}
