import { LINE_LENGTH } from './format.js';

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

/** How ruff's isort orders the names of one `from` import: constants, then classes, then the rest. */
export function importNameKey(name: string): string {
  const kind = /^[A-Z0-9_]+$/.test(name) && name.length > 1 ? 0 : /^[A-Z]/.test(name) ? 1 : 2;
  return `${kind}${name.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(24, '0'))}`;
}
