/**
 * Python string literals that are ASCII-only and keep the exact value given.
 *
 * The output is also what `ruff format` would produce, so generated files pass
 * `ruff format --check`: lowercase hex escapes, and double quotes unless single
 * quotes need fewer escapes (ruff's quote preference).
 */

function escapeCodePoint(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;

/**
 * Printable ASCII passes through; everything else becomes an escape, control and bidi characters
 * included. `escapeQuote` escapes a quote character the literal's own quotes make special.
 */
function escapeBody(value: string, escapeQuote: (quote: string) => string | undefined): string {
  // Most text (names, titles, messages) is printable ASCII with no backslash: only a quote can
  // need escaping there, which skips a walk per code point.
  if (PLAIN.test(value)) return value.includes('"') || value.includes("'") ? value.replace(/["']/g, (quote) => escapeQuote(quote) ?? quote) : value;
  let out = '';
  for (const ch of value) {
    const special = ((ch === '"' || ch === "'") && escapeQuote(ch)) || NAMED_ESCAPES[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x20 && cp < 0x7f ? ch : escapeCodePoint(cp);
  }
  return out;
}

/** How often `ch` occurs in `text`, without splitting it (every generated string literal asks). */
function count(text: string, ch: string): number {
  let found = 0;
  for (let at = text.indexOf(ch); at !== -1; at = text.indexOf(ch, at + 1)) found += 1;
  return found;
}

/** A regular string literal, e.g. for `DESCRIPTION = "..."`. */
export function pyString(value: string): string {
  const quote = count(value, '"') > count(value, "'") ? "'" : '"';
  return quote + escapeBody(value, (ch) => (ch === quote ? `\\${quote}` : undefined)) + quote;
}

/**
 * A docstring's source between its quotes: readable (apostrophes and quotes as written), yet
 * with nothing `ruff format` rewrites. It strips edge whitespace and pads a quote at either end,
 * so edge spaces become `\x20`, a quote starting or ending the text is escaped, and so is each
 * quote followed by another (no run of three can end the docstring early).
 */
function docstringBody(value: string): string {
  let body = escapeBody(value, () => undefined);
  body = body.replace(/^"|"(?="|$)/g, '\\"');
  body = body.replace(/^ +/, (spaces) => '\\x20'.repeat(spaces.length));
  return body.replace(/ +$/, (spaces) => '\\x20'.repeat(spaces.length));
}

/**
 * A `"""docstring"""` of `value`, at `indent`, that fits `lineLength`: on one line when it fits,
 * else wrapped at spaces (a space becomes a line break, so the text reads the same; a word
 * longer than a line stays whole, which E501 allows).
 */
export function pyDocstring(value: string, indent = '', lineLength = Infinity): string {
  const body = docstringBody(value);
  if (indent.length + body.length + 6 <= lineLength) return `"""${body}"""`;
  // The first line also holds the opening quotes, the last one the closing quotes.
  const width = lineLength - indent.length - 3;
  const lines: string[][] = [[]];
  // Every space can then be a break: a run would leave ruff a line edge to strip or reindent.
  const spaced = body.replace(/ {2,}/g, (run) => ` ${'\\x20'.repeat(run.length - 1)}`);
  // The last line's length as joined, kept as words are added rather than joined for each word.
  let joined = 0;
  for (const word of spaced.split(' ')) {
    const line = lines.at(-1)!;
    if (line.length > 0 && joined + 1 + word.length > width) {
      lines.push([word]);
      joined = word.length;
    } else {
      joined += (line.length > 0 ? 1 : 0) + word.length;
      line.push(word);
    }
  }
  // A first line that is also the last holds both quotes: its last word goes down.
  if (lines.length === 1 && lines[0]!.length > 1) lines.push([lines[0]!.pop()!]);
  return `"""${lines.map((line) => line.join(' ')).join(`\n${indent}`)}"""`;
}
