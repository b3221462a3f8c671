import { pyString } from './literal.js';

/**
 * The few line-breaking rules of `ruff format` that generated code needs, so that a statement
 * whose length depends on payload text comes out already formatted, at the target's line length.
 */
export const LINE_LENGTH = 88;
const INDENT = '    ';

/**
 * How ruff's isort rule orders module names: case-insensitively and naturally (`len_99` before
 * `len_100`, `m073` before `m09` before `m1`), as plain string order of this key.
 */
export const isortKey = (name: string) => naturalKey(name.toLowerCase());

/**
 * `text` with each run of digits made to sort as ruff's natural order (strnatcmp's) sorts it:
 * by value (`9` before `10`), but a run with a leading zero digit by digit from the left, ended
 * before any digit that goes on, and before every other run (`a0 < a0c < a00 < a007c < a0073 <
 * a01 < a1`, as ruff 0.17 orders those modules).
 */
const DIGITS = /\d/;
export const naturalKey = (text: string) => (DIGITS.test(text) ? text.replace(/\d+/g, (digits) => (digits.startsWith('0') ? `0${digits}!` : `1${digits.padStart(24, '0')}`)) : text);

/** Insertion sort's quadratic moves stay below a sort's allocations up to about this many items. */
const SHORT_LIST = 16;

/**
 * `items` in the plain string order of `key`, each key computed once (sorts compare often), equal
 * keys in their given order. A short list (a module's imports: most lists sorted here) by insertion
 * into it and its keys side by side, where Array.prototype.sort would allocate pairs and a work array.
 */
export function sortByKey<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  const list = [...items];
  // A list of one (as the names imported from a module often are) needs no keys.
  if (list.length < 2) return list;
  if (list.length > SHORT_LIST) {
    return list
      .map((item) => ({ item, key: key(item) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ item }) => item);
  }
  const keys = list.map(key);
  for (let i = 1; i < list.length; i += 1) {
    const item = list[i]!;
    const itemKey = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > itemKey; j -= 1) {
      keys[j + 1] = keys[j]!;
      list[j + 1] = list[j]!;
    }
    keys[j + 1] = itemKey;
    list[j + 1] = item;
  }
  return list;
}

/** `from module import a, b`, exploded one name per line with a trailing comma when too long. */
export function formatFromImport(module: string, names: readonly string[], indent = '', lineLength = LINE_LENGTH): string {
  const oneLine = `${indent}from ${module} import ${names.join(', ')}`;
  if (oneLine.length <= lineLength) return oneLine;
  const lines = names.map((name) => `${indent}${INDENT}${name},`);
  return [`${indent}from ${module} import (`, ...lines, `${indent})`].join('\n');
}

/** `callee(arg, arg)`: on one line, else the arguments on one indented line, else one per line. */
export function formatCall(callee: string, args: readonly string[], indent = '', lineLength = LINE_LENGTH): string {
  const oneLine = `${indent}${callee}(${args.join(', ')})`;
  if (oneLine.length <= lineLength) return oneLine;
  const joined = `${indent}${INDENT}${args.join(', ')}`;
  if (joined.length <= lineLength) return [`${indent}${callee}(`, joined, `${indent})`].join('\n');
  const lines = args.map((arg) => `${indent}${INDENT}${arg},`);
  return [`${indent}${callee}(`, ...lines, `${indent})`].join('\n');
}

/**
 * `value` as string literals (an implicit concatenation) each at most `width` long: one part per
 * line of text, each cut after the last space that fits, else where the width ends (never inside
 * an escape, as each character's escape is whole). Ruff keeps the parts when, joined, they would
 * not fit.
 */
export function splitStringLiteral(value: string, width: number): string[] {
  const parts: string[] = [];
  let part = '';
  const chars = [...value];
  chars.forEach((ch, i) => {
    // A cut at a space leaves a remainder, which may still not take this character.
    while (part !== '' && pyString(part + ch).length > width) {
      const space = part.lastIndexOf(' ');
      const cut = space > 0 && space < part.length - 1 ? space + 1 : part.length;
      parts.push(pyString(part.slice(0, cut)));
      part = part.slice(cut);
    }
    part += ch;
    if (ch === '\n' && i < chars.length - 1) {
      parts.push(pyString(part));
      part = '';
    }
  });
  parts.push(pyString(part));
  return parts;
}

/**
 * `NAME = "value"` as ruff formats it: on one line if it fits; else the string alone inside
 * parentheses; else, as no line can hold it, split into parts that each fit.
 */
export function formatStringAssignment(name: string, value: string, lineLength = LINE_LENGTH): string {
  const literal = pyString(value);
  if (`${name} = ${literal}`.length <= lineLength) return `${name} = ${literal}`;
  const parts = INDENT.length + literal.length <= lineLength ? [literal] : splitStringLiteral(value, lineLength - INDENT.length);
  return [`${name} = (`, ...parts.map((part) => `${INDENT}${part}`), ')'].join('\n');
}

/**
 * One string of an exploded list, at `indent`, with its trailing comma; when too long, its parts
 * go inside parentheses (ruff's ISC004: a bare concatenation in a list reads as a lost comma).
 */
export function formatStringItem(value: string, indent: string, lineLength = LINE_LENGTH): string {
  const literal = pyString(value);
  if (`${indent}${literal},`.length <= lineLength) return `${indent}${literal},`;
  const inner = `${indent}${INDENT}`;
  const parts = splitStringLiteral(value, lineLength - inner.length);
  return [`${indent}(`, ...parts.map((part) => `${inner}${part}`), `${indent}),`].join('\n');
}

/** `def name(a, b) -> returns:` at the top level: on one line, else one parameter per line. */
export function formatDef(name: string, params: readonly string[], returns: string, lineLength = LINE_LENGTH): string {
  const oneLine = `def ${name}(${params.join(', ')}) -> ${returns}:`;
  if (oneLine.length <= lineLength || params.length === 0) return oneLine;
  return [`def ${name}(`, ...params.map((param) => `${INDENT}${param},`), `) -> ${returns}:`].join('\n');
}
