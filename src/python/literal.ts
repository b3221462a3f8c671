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

/** Printable ASCII passes through; everything else becomes an escape, control and bidi characters included. */
function escapeBody(value: string, escapeChar: (ch: string) => string | undefined): string {
  let out = '';
  for (const ch of value) {
    const special = escapeChar(ch) ?? NAMED_ESCAPES[ch];
    if (special !== undefined) {
      out += special;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x20 && cp < 0x7f ? ch : escapeCodePoint(cp);
  }
  return out;
}

const count = (text: string, ch: string) => text.split(ch).length - 1;

/** A regular string literal, e.g. for `DESCRIPTION = "..."`. */
export function pyString(value: string): string {
  const quote = count(value, '"') > count(value, "'") ? "'" : '"';
  return quote + escapeBody(value, (ch) => (ch === quote ? `\\${quote}` : undefined)) + quote;
}

/**
 * A one-line `"""docstring"""` whose value is exactly `value`.
 * ruff format rewrites docstring source (it strips edge whitespace and pads edge quotes),
 * so quotes and edge whitespace are escaped: the source it sees has nothing to normalise.
 */
export function pyDocstring(value: string): string {
  let body = escapeBody(value, (ch) => (ch === '"' || ch === "'" ? escapeCodePoint(ch.codePointAt(0)!) : undefined));
  body = body.replace(/^ +/, (spaces) => '\\x20'.repeat(spaces.length));
  body = body.replace(/ +$/, (spaces) => '\\x20'.repeat(spaces.length));
  return `"""${body}"""`;
}
