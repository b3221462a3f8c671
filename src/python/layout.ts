import { LINE_LENGTH, naturalDigits } from './format.js';

/**
 * A statement as `ruff format` breaks it, for code whose length depends on payload names: text
 * that never breaks, or a bracketed group (`head(item, item)tail`). The statement's outermost
 * group first tries its items on one indented line; a nested group that does not fit puts each
 * item on its own line with a trailing comma (a lone item gets none).
 */
export type Doc = string | Group;

export interface Group {
  head: string;
  open: string;
  items: Doc[];
  close: string;
  tail: string;
}

const INDENT = '    ';

/** `head(items)tail`: a call, a subscript with `[`, a dict or list with an empty head. */
export const group = (head: string, items: readonly Doc[], tail = '', open = '(', close = ')'): Group => ({ head, open, items: [...items], close, tail });

export function flat(doc: Doc): string {
  if (typeof doc === 'string') return doc;
  return `${doc.head}${doc.open}${doc.items.map(flat).join(', ')}${doc.close}${doc.tail}`;
}

/** An item of an exploded group (no items-on-one-line option), with its `suffix`. */
export function nested(doc: Doc, indent: string, suffix: string, lineLength: number): string {
  const oneLine = `${indent}${flat(doc)}${suffix}`;
  if (typeof doc === 'string' || oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const items = doc.items.length === 1 ? [nested(doc.items[0]!, inner, '', lineLength)] : doc.items.map((item) => nested(item, inner, ',', lineLength));
  return [`${indent}${doc.head}${doc.open}`, ...items, `${indent}${doc.close}${doc.tail}${suffix}`].join('\n');
}

/** A whole statement at `indent`, laid out as ruff lays it out. */
export function layout(doc: Doc, indent = '', lineLength = LINE_LENGTH): string {
  const oneLine = `${indent}${flat(doc)}`;
  if (typeof doc === 'string' || oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const joined = `${inner}${doc.items.map(flat).join(', ')}`;
  const body = joined.length <= lineLength ? joined : doc.items.length === 1 ? nested(doc.items[0]!, inner, '', lineLength) : doc.items.map((item) => nested(item, inner, ',', lineLength)).join('\n');
  return [`${indent}${doc.head}${doc.open}`, body, `${indent}${doc.close}${doc.tail}`].join('\n');
}

/**
 * `def name(param) -> None:` as ruff breaks it: a lone parameter of a definition that does not
 * fit gets a line of its own and a trailing comma, as if the payload had written one.
 */
export function defWithOne(head: string, param: string, tail: string, indent = '', lineLength = LINE_LENGTH): string {
  const oneLine = `${indent}${head}(${param})${tail}`;
  if (oneLine.length <= lineLength) return oneLine;
  return [`${indent}${head}(`, `${indent}${INDENT}${param},`, `${indent})${tail}`].join('\n');
}

/**
 * `keyword expression` (`return`, `assert`) as ruff lays it out: the expression in parentheses,
 * on a line of its own, when that makes it fit; left long when nothing does (a long string).
 */
export function parenthesized(keyword: string, expression: string, indent = '', lineLength = LINE_LENGTH): string {
  const oneLine = `${indent}${keyword} ${expression}`;
  const inner = `${indent}${INDENT}${expression}`;
  if (oneLine.length <= lineLength || inner.length > lineLength) return oneLine;
  return [`${indent}${keyword} (`, inner, `${indent})`].join('\n');
}

/**
 * `target: annotation = value` (or without a value) as ruff lays it out: on one line; else the
 * value's brackets split when what comes before them fits; else the value in parentheses when
 * `target: annotation = (` fits; else the annotation split, in its own brackets (`Mapped[`) or
 * in parentheses (a union, or an annotation with no value); else the
 * value's brackets split all the same, the line before them left long.
 */
export function annotated(target: string, annotation: string, value: Doc | undefined, indent = '', lineLength = LINE_LENGTH): string {
  const oneLine = `${indent}${target}: ${annotation}${value === undefined ? '' : ` = ${flat(value)}`}`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const assigned = (prefix: string, doc: Doc) => (typeof doc === 'string' ? `${prefix} = ${doc}` : { ...doc, head: `${prefix} = ${doc.head}` });
  if (value !== undefined && typeof value !== 'string') {
    if (`${indent}${target}: ${annotation} = ${value.head}${value.open}`.length <= lineLength) return layout(assigned(`${target}: ${annotation}`, value), indent, lineLength);
    const opened = `${indent}${target}: ${annotation} = (`;
    if (opened.length <= lineLength) return [opened, layout(value, inner, lineLength), `${indent})`].join('\n');
  }
  const subscript = /^(\w+)\[(.*)\]$/.exec(annotation);
  const union = annotation.includes(' | ');
  if (value === undefined || subscript || union) {
    const [open, body, close] = subscript ? [`${subscript[1]}[`, subscript[2]!, ']'] : ['(', annotation, ')'];
    const rest = value === undefined ? `${indent}${close}` : layout(assigned(close, value), indent, lineLength);
    return [`${indent}${target}: ${open}`, `${inner}${body}`, rest].join('\n');
  }
  return typeof value === 'string' ? oneLine : layout(assigned(`${target}: ${annotation}`, value), indent, lineLength);
}

/** How ruff's isort orders the names of one `from` import: constants, then classes, then the rest. */
export function importNameKey(name: string): string {
  const kind = /^[A-Z0-9_]+$/.test(name) && name.length > 1 ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${kind}${name.toLowerCase().replace(/\d+/g, naturalDigits)}`;
}
