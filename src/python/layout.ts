import { formatFromImport, isortKey, LINE_LENGTH, naturalKey, sortByKey } from './format.js';

/**
 * A statement as `ruff format` breaks it, for code whose length depends on payload names: text
 * that never breaks, or a bracketed group (`head(item, item)tail`). The statement's outermost
 * group first tries its items on one indented line; a nested group that does not fit puts each
 * item on its own line with a trailing comma (a lone item gets none).
 */
export type Doc = string | Group;

const INDENT = '    ';

/** `head(items)tail`: its parts as given, and its text on one line. */
export class Group {
  /** Made once, here: laying out a nested group asks for the one-line text at every level. */
  readonly oneLine: string;
  /** Only `group()` makes one, so `oneLine` always matches the parts (a copy by spread would not). */
  declare private readonly nominal: void;

  constructor(
    readonly head: string,
    readonly open: string,
    readonly items: readonly Doc[],
    readonly close: string,
    readonly tail: string,
  ) {
    this.oneLine = `${head}${open}${items.map(flat).join(', ')}${close}${tail}`;
  }
}

/** `head(items)tail`: a call, a subscript with `[`, a dict or list with an empty head. */
export const group = (head: string, items: readonly Doc[], tail = '', open = '(', close = ')'): Group => new Group(head, open, [...items], close, tail);

export const flat = (doc: Doc): string => (typeof doc === 'string' ? doc : doc.oneLine);

/** `doc` with `prefix` before it, as one more piece of its head (`x = f(...)`, `type_=sa.Enum(...)`). */
export const prefixed = (prefix: string, doc: Doc): Doc => (typeof doc === 'string' ? `${prefix}${doc}` : group(`${prefix}${doc.head}`, doc.items, doc.tail, doc.open, doc.close));

/**
 * An item of an exploded group (no items-on-one-line option), with its `suffix`: what ruff keeps
 * as it is, as the trailing commas it adds are magic (see `pretty` for what ruff itself writes).
 */
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
  return `${kind}${naturalKey(name.toLowerCase())}`;
}

/**
 * A bracketed group's kind, by what precedes its bracket: a call or a subscript (`f(`, `x[`),
 * or a display (`[`, `{`, `(` alone or after `=`, `: `, an operator): a list, dict or tuple.
 */
const isDisplay = (doc: Group) => doc.head === '' || /[\s=:,([{]$/.test(doc.head);

/**
 * `doc` at `indent`, followed by `suffix`, as `ruff format` lays out code it did not write (no
 * magic trailing commas): on one line when it fits; else split at its outermost bracket, where a
 * call, a subscript or a one-item display keeps its items on one indented line when they fit,
 * and a display of several items, like anything that still does not fit, puts each item on its
 * own line with a trailing comma (a lone item gets none). Text never breaks (a long string stays
 * whole, as ruff leaves it).
 */
export function pretty(doc: Doc, indent: string, suffix: string, lineLength: number): string {
  const oneLine = `${indent}${flat(doc)}${suffix}`;
  if (typeof doc === 'string' || oneLine.length <= lineLength || doc.items.length === 0) return oneLine;
  const inner = `${indent}${INDENT}`;
  const open = `${indent}${doc.head}${doc.open}`;
  const close = `${indent}${doc.close}${doc.tail}${suffix}`;
  if (!isDisplay(doc) || doc.items.length === 1) {
    const hugged = `${inner}${doc.items.map(flat).join(', ')}`;
    if (hugged.length <= lineLength) return [open, hugged, close].join('\n');
  }
  const items = doc.items.length === 1 ? [pretty(doc.items[0]!, inner, '', lineLength)] : doc.items.map((item) => pretty(item, inner, ',', lineLength));
  return [open, ...items, close].join('\n');
}

/**
 * `def name(params) -> returns:` at `indent`, as ruff lays out a signature: on one line, else the
 * parameters on one indented line, else one per line; a lone parameter that does not fit gets a
 * trailing comma, which then keeps it on a line of its own.
 */
export function prettyDef(name: string, params: readonly string[], returns: string, indent: string, lineLength: number): string {
  const signature = group(`def ${name}`, params, ` -> ${returns}:`);
  const oneLine = `${indent}${flat(signature)}`;
  if (oneLine.length <= lineLength || params.length === 0) return oneLine;
  const inner = `${indent}${INDENT}`;
  const hugged = `${inner}${params.join(', ')}`;
  const body = params.length > 1 && hugged.length <= lineLength ? [hugged] : params.map((param) => `${inner}${param},`);
  return [`${indent}def ${name}(`, ...body, `${indent}) -> ${returns}:`].join('\n');
}

/**
 * `target: annotation = value` (or with no value) at `indent`, as ruff lays it out: on one line;
 * else split in the value's brackets when what comes before them fits; else the value in
 * parentheses when `target: annotation = (` fits (a text value only when it then fits); else
 * the annotation split, in its own brackets (`Mapped[`) or in parentheses (a union, or an
 * annotation with no value), the value after it; else the line left long, as ruff leaves it.
 */
export function annotated(target: string, annotation: string, value: Doc | undefined, indent: string, lineLength: number): string {
  const oneLine = `${indent}${target}: ${annotation}${value === undefined ? '' : ` = ${flat(value)}`}`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const assigned = (prefix: string, doc: Doc): Doc => prefixed(`${prefix} = `, doc);
  if (value !== undefined) {
    if (typeof value !== 'string' && `${indent}${target}: ${annotation} = ${value.head}${value.open}`.length <= lineLength) return layout(assigned(`${target}: ${annotation}`, value), indent, lineLength);
    const opened = `${indent}${target}: ${annotation} = (`;
    const fitsInside = typeof value !== 'string' || `${inner}${value}`.length <= lineLength;
    if (opened.length <= lineLength && fitsInside) return [opened, layout(value, inner, lineLength), `${indent})`].join('\n');
  }
  const subscript = /^(\w+)\[(.*)\]$/.exec(annotation);
  if (value === undefined || subscript || annotation.includes(' | ')) {
    const [open, body, close] = subscript ? [`${subscript[1]}[`, subscript[2]!, ']'] : ['(', annotation, ')'];
    const rest = value === undefined ? `${indent}${close}` : layout(assigned(close, value), indent, lineLength);
    return [`${indent}${target}: ${open}`, `${inner}${body}`, rest].join('\n');
  }
  return typeof value === 'string' ? oneLine : layout(assigned(`${target}: ${annotation}`, value), indent, lineLength);
}

/**
 * `keyword expression` (`return`, `assert`) at `indent`, as ruff lays it out: the expression in
 * parentheses on a line of its own when that makes it fit; left long when nothing does.
 */
export function parenthesized(keyword: string, expression: string, indent: string, lineLength: number): string {
  const oneLine = `${indent}${keyword} ${expression}`;
  const inner = `${indent}${INDENT}${expression}`;
  if (oneLine.length <= lineLength || inner.length > lineLength) return oneLine;
  return [`${indent}${keyword} (`, inner, `${indent})`].join('\n');
}

/**
 * `left op right` as the lone argument of `head(...)` (`conditions.append(a == b)`), as ruff
 * lays it out: on one line; else inside the brackets on a line of its own; else split there
 * before the operator.
 */
export function comparisonCall(head: string, left: string, operator: string, right: string, indent: string, lineLength: number): string {
  const oneLine = `${indent}${head}(${left} ${operator} ${right})`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const hugged = `${inner}${left} ${operator} ${right}`;
  const body = hugged.length <= lineLength ? [hugged] : [`${inner}${left}`, `${inner}${operator} ${right}`];
  return [`${indent}${head}(`, ...body, `${indent})`].join('\n');
}

/**
 * `if value is not None and not exists(value):` at `indent`, as ruff lays it out: on one line;
 * else the call's brackets split when what comes before them fits; else the condition in
 * parentheses, a line for each operand.
 */
export function refCondition(variable: string, exists: string, indent: string, lineLength: number): string {
  const oneLine = `${indent}if ${variable} is not None and not ${exists}(${variable}):`;
  if (oneLine.length <= lineLength) return oneLine;
  const inner = `${indent}${INDENT}`;
  const head = `${indent}if ${variable} is not None and not ${exists}(`;
  if (head.length <= lineLength) return [head, `${inner}${variable}`, `${indent}):`].join('\n');
  return [`${indent}if (`, `${inner}${variable} is not None`, layout(group(`and not ${exists}`, [variable]), inner, lineLength), `${indent}):`].join('\n');
}

/**
 * Several `from module import names` (each pair a module and its names separated by ", "), in
 * the order ruff's isort rule wants (see isortKey); names from one module given twice share one
 * statement, in isort's order of names.
 */
export function fromImportsBlock(pairs: readonly (readonly [string, string])[], lineLength: number): string {
  const byModule = new Map<string, string[]>();
  for (const [module, names] of pairs) {
    const given = names.split(', ');
    byModule.set(module, byModule.has(module) ? sortByKey([...new Set([...byModule.get(module)!, ...given])], importNameKey) : given);
  }
  return sortByKey([...byModule], ([module]) => isortKey(module))
    .map(([module, names]) => formatFromImport(module, names, '', lineLength))
    .join('\n');
}

/**
 * A module's project imports as ruff's isort writes them: the absolute ones (first party), then,
 * after a blank line, the relative ones (local folder), furthest first as the dots sort.
 */
export function projectImports(pairs: readonly (readonly [string, string])[], lineLength: number): string {
  const relative = pairs.filter(([module]) => module.startsWith('.'));
  const absolute = pairs.filter(([module]) => !module.startsWith('.'));
  return [absolute, relative].filter((section) => section.length > 0).map((section) => fromImportsBlock(section, lineLength)).join('\n\n');
}
