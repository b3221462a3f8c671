/**
 * The few line-breaking rules of `ruff format` that generated code needs, so that a
 * statement whose length depends on a feature name comes out already formatted.
 */
export const LINE_LENGTH = 88;
const INDENT = '    ';

/** `from module import a, b`, exploded one name per line with a trailing comma when too long. */
export function formatFromImport(module: string, names: readonly string[], indent = ''): string {
  const oneLine = `${indent}from ${module} import ${names.join(', ')}`;
  if (oneLine.length <= LINE_LENGTH) return oneLine;
  const lines = names.map((name) => `${indent}${INDENT}${name},`);
  return [`${indent}from ${module} import (`, ...lines, `${indent})`].join('\n');
}

/** `callee(arg, arg)`: on one line, else the arguments on one indented line, else one per line. */
export function formatCall(callee: string, args: readonly string[], indent = ''): string {
  const oneLine = `${indent}${callee}(${args.join(', ')})`;
  if (oneLine.length <= LINE_LENGTH) return oneLine;
  const joined = `${indent}${INDENT}${args.join(', ')}`;
  if (joined.length <= LINE_LENGTH) return [`${indent}${callee}(`, joined, `${indent})`].join('\n');
  const lines = args.map((arg) => `${indent}${INDENT}${arg},`);
  return [`${indent}${callee}(`, ...lines, `${indent})`].join('\n');
}
