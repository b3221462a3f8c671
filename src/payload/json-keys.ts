/**
 * Checks on the raw JSON text that JSON.parse cannot make: it keeps the last of duplicate
 * keys silently, and it happily creates `__proto__` keys. Runs on text JSON.parse accepted.
 */
export const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface KeyProblem {
  /** Where the key is, as a dotted path: `message.data`, `requirements`. */
  path: string;
  message: string;
}

const WHITESPACE = /[ \t\n\r]/;

/** Finds duplicate and forbidden object keys, and nesting deeper than `maxDepth`. */
export function checkJsonKeys(text: string, maxDepth: number): KeyProblem[] {
  const problems: KeyProblem[] = [];
  // One frame per open object or array: its keys so far (objects) and its path.
  const stack: { keys?: Set<string>; path: string[]; index: number }[] = [];
  let pendingKey: string | undefined;
  let i = 0;

  const currentPath = () => {
    const frame = stack.at(-1);
    return frame ? frame.path : [];
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (WHITESPACE.test(ch) || ch === ':' || ch === ',') {
      const frame = stack.at(-1);
      if (ch === ',' && frame && !frame.keys) frame.index += 1;
      i += 1;
      continue;
    }
    if (ch === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const value = JSON.parse(text.slice(i, end + 1)) as string;
      const frame = stack.at(-1);
      let after = end + 1;
      while (WHITESPACE.test(text[after] ?? '')) after += 1;
      if (frame?.keys && text[after] === ':') {
        const where = [...frame.path, value].join('.');
        if (FORBIDDEN_KEYS.has(value)) problems.push({ path: where, message: `the key "${value}" is not allowed` });
        else if (frame.keys.has(value)) problems.push({ path: where, message: 'appears twice; keep one' });
        frame.keys.add(value);
        pendingKey = value;
      }
      i = end + 1;
      continue;
    }
    if (ch === '{' || ch === '[') {
      const parent = stack.at(-1);
      const segment = parent?.keys ? pendingKey : parent ? String(parent.index) : undefined;
      const path = segment === undefined ? currentPath() : [...currentPath(), segment];
      stack.push({ keys: ch === '{' ? new Set() : undefined, path, index: 0 });
      if (stack.length > maxDepth) {
        problems.push({ path: path.join('.') || 'payload', message: `is nested more than ${maxDepth} levels deep; a payload is a flat object` });
        return problems;
      }
      i += 1;
      continue;
    }
    if (ch === '}' || ch === ']') {
      stack.pop();
      i += 1;
      continue;
    }
    // A number, true, false or null: skip to the next structural character.
    while (i < text.length && !/[,\]}\s]/.test(text[i]!)) i += 1;
  }
  return problems;
}
