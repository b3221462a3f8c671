import { bracketContents, splitTopLevel, stringValue, type Token } from '../python/scan.js';

/**
 * The values an Alembic revision's identifiers may have, read from tokens without running
 * anything: None, a string, or a tuple or list of strings (a merge revision's parents).
 * Whatever else stands there is described, so the refusal can say what was found.
 */
export type IdentifierLiteral =
  | { kind: 'none' }
  | { kind: 'string'; value: string }
  | { kind: 'sequence'; values: string[] }
  | { kind: 'other'; found: string };

const isOp = (token: Token | undefined, text: string) => token?.kind === 'op' && token.text === text;

/** Whether a comma stands outside every bracket: `"a", "b"` is a tuple, as `("a", "b")` is. */
function hasTopLevelComma(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (const token of tokens) {
    if (token.kind !== 'op') continue;
    if ('([{'.includes(token.text)) depth += 1;
    else if (')]}'.includes(token.text)) depth -= 1;
    else if (token.text === ',' && depth === 0) return true;
  }
  return false;
}

/** Whether the bracket opening at 0 closes at the last token, so the tokens are one bracketed group. */
const isOneGroup = (tokens: readonly Token[]) => tokens.length >= 2 && bracketContents(tokens, 0).length === tokens.length - 2;

export function identifierLiteral(tokens: readonly Token[]): IdentifierLiteral {
  const [first] = tokens;
  if (first === undefined) return { kind: 'other', found: 'nothing' };
  if (hasTopLevelComma(tokens)) return sequenceOf(splitTopLevel(tokens));
  if ((isOp(first, '(') || isOp(first, '[')) && isOneGroup(tokens)) {
    const inner = tokens.slice(1, -1);
    // `(x)` is x itself; `(x,)`, `()` and any list are sequences.
    if (isOp(first, '(') && inner.length > 0 && !hasTopLevelComma(inner)) return identifierLiteral(inner);
    return sequenceOf(splitTopLevel(inner));
  }
  if (tokens.length === 1) return single(first);
  return { kind: 'other', found: describe(tokens) };
}

function single(token: Token): IdentifierLiteral {
  if (token.kind === 'name' && token.text === 'None') return { kind: 'none' };
  if (token.kind === 'string') {
    const value = plainString(token);
    return value === undefined ? { kind: 'other', found: describe([token]) } : { kind: 'string', value };
  }
  return { kind: 'other', found: describe([token]) };
}

function sequenceOf(items: readonly Token[][]): IdentifierLiteral {
  const values: string[] = [];
  for (const item of items) {
    const literal = item.length === 1 ? single(item[0]!) : { kind: 'other' as const, found: describe(item) };
    if (literal.kind === 'string') values.push(literal.value);
    else return { kind: 'other', found: literal.kind === 'other' ? `${literal.found} in a sequence` : 'None in a sequence' };
  }
  return { kind: 'sequence', values };
}

/**
 * The value of a string literal that means what it says: no f-, t- or bytes prefix, and no
 * backslash (escapes are not decoded here, and no revision id needs one).
 */
function plainString(token: Token): string | undefined {
  const prefix = /^[A-Za-z]*/.exec(token.text)![0];
  if (/[fFtTbB]/.test(prefix) || token.text.includes('\\')) return undefined;
  return stringValue(token);
}

/** What a value that is not a plain literal is, for the refusal. */
function describe(tokens: readonly Token[]): string {
  const [first] = tokens;
  if (tokens.length > 1 && tokens.every((token) => token.kind === 'string')) return 'an implicit concatenation of string literals';
  if (tokens.length === 1 && first!.kind === 'string') {
    const prefix = /^[A-Za-z]*/.exec(first!.text)![0];
    if (/[fF]/.test(prefix)) return 'an f-string';
    if (/[tT]/.test(prefix)) return 'a template string';
    if (/[bB]/.test(prefix)) return 'a bytes literal';
    return 'a string with a backslash escape';
  }
  const isDottedName = tokens.every((token, i) => (i % 2 === 0 ? token.kind === 'name' : isOp(token, '.'))) && tokens.length % 2 === 1;
  if (isDottedName) return `a name (${tokens.map((token) => token.text).join('')})`;
  if (first?.kind === 'name' && tokens.some((token, i) => i > 0 && isOp(token, '(') && tokens[i - 1]!.kind === 'name')) return 'a call';
  if (first?.kind === 'number') return 'a number';
  return 'an expression';
}
