/**
 * A scanner at the level of Python's tokenizer: enough structure to edit a module safely.
 * It knows strings of every kind (prefixes, triple quotes, f-string replacement fields),
 * comments, bracket depth, backslash continuations and indentation, and groups tokens
 * into logical lines, so a `#` in a string or a call wrapped over lines never misleads it.
 */

export type TokenKind = 'name' | 'number' | 'string' | 'op';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

export interface LogicalLine {
  /** Offset of the first character of the line's first physical line (its indentation included). */
  start: number;
  /** Offset just past the newline that ends the logical line, or the end of the text. */
  end: number;
  /** Offset of the newline sequence ending the line, or the end of the text when there is none. */
  contentEnd: number;
  /** The leading whitespace of its first physical line: '' for a top-level statement. */
  indent: string;
  tokens: Token[];
}

const STRING_START = /([rRbBuUfFtT]{0,2})('''|"""|'|")/y;
const NAME = /[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/y;
const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/y;
const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];

function matchAt(pattern: RegExp, source: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(source);
}

/** Where a string literal ends, and whether it was closed before its line or the text ran out. */
interface StringEnd {
  end: number;
  closed: boolean;
}

/** Finds the end of the string that opens at `at` with the given prefix and quote. */
function skipString(source: string, at: number, prefix: string, quote: string): StringEnd {
  const formatted = /[fFtT]/.test(prefix);
  let i = at + prefix.length + quote.length;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      i += 2;
    } else if (source.startsWith(quote, i)) {
      return { end: i + quote.length, closed: true };
    } else if (quote.length === 1 && (ch === '\n' || ch === '\r')) {
      return { end: i, closed: false };
    } else if (formatted && ch === '{') {
      i = source[i + 1] === '{' ? i + 2 : skipReplacementField(source, i + 1);
    } else {
      i += 1;
    }
  }
  return { end: i, closed: false };
}

/** Skips an f-string `{...}` expression, which may hold brackets and (since 3.12) nested strings. */
function skipReplacementField(source: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < source.length) {
    const ch = source[i]!;
    const opened = matchAt(STRING_START, source, i);
    if (opened && !isNameChar(source[i - 1])) {
      i = skipString(source, i, opened[1]!, opened[2]!).end;
    } else if (ch === '{' || ch === '(' || ch === '[') {
      depth += 1;
      i += 1;
    } else if (ch === '}' && depth === 0) {
      return i + 1;
    } else {
      if (ch === '}' || ch === ')' || ch === ']') depth -= 1;
      i += 1;
    }
  }
  return i;
}

function isNameChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\w\u0080-\uffff]/.test(ch);
}

function newlineLength(source: string, at: number): number {
  if (source[at] === '\r') return source[at + 1] === '\n' ? 2 : 1;
  return source[at] === '\n' ? 1 : 0;
}

/** Something the Python tokenizer would reject, at an offset. */
export interface ScanProblem {
  offset: number;
  message: string;
}

export interface Scan {
  lines: LogicalLine[];
  problems: ScanProblem[];
}

const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * A line git (or diff3, or `update --conflicts=markers`) left in a file it could not merge:
 * `<<<<<<< ours`, `|||||||`, `=======`, `>>>>>>> theirs`, at the start of a line, seven of one
 * character alone or followed by a space and a label. The tokenizer takes them for operators, so
 * without this a conflicted aggregator would be patched, and `check` would call it current.
 */
export function isConflictMarker(source: string, at: number): boolean {
  const ch = source[at]!;
  if (!'<|=>'.includes(ch) || (at > 0 && source[at - 1] !== '\n' && source[at - 1] !== '\r')) return false;
  const after = source[at + 7];
  return source.startsWith(ch.repeat(7), at) && (after === undefined || after === ' ' || after === '\n' || after === '\r');
}

export function scanLogicalLines(source: string): LogicalLine[] {
  return scanPython(source).lines;
}

/**
 * What the Python tokenizer would reject in `source`, without keeping its lines: checking a large
 * patched file (an aggregator of 10,000 registrations) would otherwise hold every token of it
 * at once.
 */
export const pythonProblems = (source: string): ScanProblem[] => scanPython(source, false).problems;

/** `comments`, when given, gets each comment's text (from its `#`, trailing spaces dropped), in order. */
export function scanPython(source: string, keepLines = true, comments?: string[]): Scan {
  const lines: LogicalLine[] = [];
  const problems: ScanProblem[] = [];
  const open: Token[] = [];
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  let current: LogicalLine | undefined;
  let physicalLineStart = i;

  const finish = (contentEnd: number, end: number) => {
    if (current) {
      current.contentEnd = contentEnd;
      current.end = end;
      lines.push(current);
    }
    current = undefined;
  };

  const push = (kind: TokenKind, start: number, end: number): Token => {
    const token = { kind, text: source.slice(start, end), start, end };
    if (!keepLines) return token;
    if (!current) {
      const indent = source.slice(physicalLineStart, start);
      current = { start: physicalLineStart, end: start, contentEnd: start, indent, tokens: [] };
    }
    current.tokens.push(token);
    return token;
  };

  while (i < source.length) {
    const ch = source[i]!;
    const eol = newlineLength(source, i);
    if (eol > 0) {
      if (current && open.length === 0) finish(i, i + eol);
      i += eol;
      if (!current) physicalLineStart = i;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i += 1;
    } else if (ch === '#') {
      const start = i;
      while (i < source.length && newlineLength(source, i) === 0) i += 1;
      comments?.push(source.slice(start, i).trimEnd());
    } else if (ch === '\\' && newlineLength(source, i + 1) > 0) {
      i += 1 + newlineLength(source, i + 1);
    } else {
      const opened = matchAt(STRING_START, source, i);
      if (opened) {
        const { end, closed } = skipString(source, i, opened[1]!, opened[2]!);
        if (!closed) problems.push({ offset: i, message: 'unterminated string literal' });
        push('string', i, end);
        i = end;
        continue;
      }
      const name = matchAt(NAME, source, i);
      if (name) {
        push('name', i, i + name[0].length);
        i += name[0].length;
        continue;
      }
      const number = /\d|\.\d/.test(source.slice(i, i + 2)) ? matchAt(NUMBER, source, i) : null;
      if (number) {
        push('number', i, i + number[0].length);
        i += number[0].length;
        continue;
      }
      if (isConflictMarker(source, i)) problems.push({ offset: i, message: 'a merge conflict marker: resolve the merge first' });
      const op = OPERATORS.find((candidate) => source.startsWith(candidate, i)) ?? ch;
      const token = push('op', i, i + op.length);
      if ('([{'.includes(op)) open.push(token);
      if (op in CLOSING) {
        const opener = open.pop();
        if (opener?.text !== CLOSING[op]) problems.push({ offset: i, message: opener ? `'${op}' does not match '${opener.text}'` : `unmatched '${op}'` });
      }
      i += op.length;
    }
  }
  for (const opener of open) problems.push({ offset: opener.start, message: `'${opener.text}' was never closed` });
  finish(source.length, source.length);
  return { lines, problems };
}

/** The tokens of `tokens` between the bracket opening at `open` and its match, exclusive. */
export function bracketContents(tokens: readonly Token[], open: number): Token[] {
  let depth = 0;
  for (let j = open; j < tokens.length; j += 1) {
    const text = tokens[j]!.text;
    if (tokens[j]!.kind !== 'op') continue;
    if ('([{'.includes(text)) depth += 1;
    if (')]}'.includes(text)) depth -= 1;
    if (depth === 0) return tokens.slice(open + 1, j);
  }
  return tokens.slice(open + 1);
}

/** Splits tokens on top-level commas (call arguments, import lists). */
export function splitTopLevel(tokens: readonly Token[], separator = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'op' && '([{'.includes(token.text)) depth += 1;
    if (token.kind === 'op' && ')]}'.includes(token.text)) depth -= 1;
    if (depth === 0 && token.kind === 'op' && token.text === separator) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  return parts.filter((part) => part.length > 0);
}

/** The value of a plain (non-f, non-byte) string literal token, for comparing prefixes and the like. */
export function stringValue(token: Token): string | undefined {
  const opened = matchAt(STRING_START, token.text, 0);
  if (!opened || /[fFbBtT]/.test(opened[1]!)) return undefined;
  const quote = opened[2]!;
  const body = token.text.slice(opened[0].length, token.text.length - quote.length);
  if (/[rR]/.test(opened[1]!)) return body;
  return body.replace(/\\(x[\da-fA-F]{2}|u[\da-fA-F]{4}|U[\da-fA-F]{8}|.)/gs, (_, escape: string) => {
    if (escape.length > 1) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' }[escape] ?? `\\${escape}`;
  });
}
