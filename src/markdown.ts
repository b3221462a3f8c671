/**
 * User text in Markdown that stays text: it cannot open a heading, quote, list, table,
 * link or raw HTML, because every ASCII punctuation character is backslash-escaped
 * (CommonMark allows that for all of them) and invisible characters become references.
 */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;
// C0/C1 controls (but tab), bidi controls, and the Unicode line separators.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const reference = (ch: string) => `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};`;

function escapeLine(line: string): string {
  // Leading blanks would start an indented code block after a blank line.
  const lead = /^[ \t]*/.exec(line)![0];
  const rest = line.slice(lead.length).replace(PUNCTUATION, '\\$&').replace(INVISIBLE, reference);
  return lead.replace(/[ \t]/g, reference) + rest;
}

/** Paragraph text: line breaks stay line breaks, and blank lines separate paragraphs. */
export function markdownText(text: string): string {
  return text.split(/\r\n|\n/).map(escapeLine).join('\n');
}

/** Text for one list item: its lines are hard breaks inside the item, never new blocks. */
export function markdownListItem(text: string): string {
  return text
    .split(/\r\n|\n/)
    .filter((line) => line.trim() !== '')
    .map(escapeLine)
    .join('\\\n  ');
}

/** A backtick fence longer than any run of backticks in `content`. */
export function codeFence(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** JSON for a code block: ASCII-only, so no invisible or bidi character hides in it. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[^\x20-\x7e\n]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
