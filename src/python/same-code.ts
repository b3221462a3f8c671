import { scanPython, type Token } from './scan.js';

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** Keywords an expression can follow: a bracket after one opens a tuple, a list or a set, not a call or a subscript. */
const BEFORE_EXPRESSION = new Set(['and', 'as', 'assert', 'await', 'del', 'elif', 'else', 'for', 'from', 'if', 'import', 'in', 'is', 'lambda', 'not', 'or', 'raise', 'return', 'while', 'with', 'yield']);

/**
 * The tokens without the trailing commas that are layout: ruff's "magic" one before a closing
 * bracket, which keeps a call or a literal exploded. Not the one that makes a tuple of one
 * element (`(x,)`) or a subscript of a tuple (`a[x,]`): there a lone element's comma is code.
 */
function withoutLayoutCommas(tokens: readonly Token[]): Token[] {
  const dropped = new Set<number>();
  const open: { at: number; commas: number; applied: boolean }[] = [];
  tokens.forEach((token, i) => {
    if (token.kind === 'op' && token.text in OPENERS) {
      const before = tokens[i - 1];
      // A call's or a subscript's bracket follows a name (not a keyword) or a closing bracket.
      const applied = before !== undefined && ((before.kind === 'name' && !BEFORE_EXPRESSION.has(before.text)) || before.text === ')' || before.text === ']');
      open.push({ at: i, commas: 0, applied });
      return;
    }
    const group = open.at(-1);
    if (group === undefined) return;
    if (token.text === ',') group.commas += 1;
    if (token.kind === 'op' && token.text === OPENERS[tokens[group.at]!.text]) {
      open.pop();
      const opener = tokens[group.at]!.text;
      // A trailing comma: layout after two elements or more, in a call, and in a list or set display.
      const layout = group.commas > 1 || (opener === '(' ? group.applied : !(opener === '[' && group.applied));
      if (tokens[i - 1]?.text === ',' && layout) dropped.add(i - 1);
    }
  });
  return tokens.filter((_, i) => !dropped.has(i));
}

/**
 * What `ruff format` leaves of a Python file: each logical line's indentation and tokens, and the
 * comments in order. Line breaks inside brackets, blank lines, spaces and layout commas (see
 * above) are layout; a string's text, a docstring's included, is not. Undefined for what does
 * not scan.
 */
function codeOf(source: string): string | undefined {
  const comments: string[] = [];
  const { lines, problems } = scanPython(source, true, comments);
  if (problems.length > 0) return undefined;
  const code = lines.map((line) => `${line.indent}${withoutLayoutCommas(line.tokens).map((token) => token.text).join(' ')}`);
  return JSON.stringify([code, comments]);
}

/**
 * Whether two Python sources differ in layout only, as `ruff format` at another line length
 * makes them differ: the same code and comments, broken into lines otherwise. A file the user
 * only reformatted has no edit of theirs to keep.
 */
export function sameCode(a: string, b: string): boolean {
  const code = codeOf(a);
  return code !== undefined && code === codeOf(b);
}
