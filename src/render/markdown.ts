/**
 * User text in Markdown that stays text: it cannot open a heading, quote, list, table,
 * link or raw HTML. Only what could start Markdown or HTML syntax is backslash-escaped (CommonMark
 * allows that for any ASCII punctuation), so ordinary prose reads as written, and invisible
 * characters become references:
 * - anywhere: `\`, `` ` ``, `*`, `_`, `[`, `]`, `<`, `|`, `~`, and `&` starting a character reference;
 * - what would make a link of plain text: `.` inside a word (`example.com`), `:` before `/`;
 * - at the start of a line: `#`, `>`, `-`, `+`, `=`, and the `.` or `)` after a number.
 */
const ANYWHERE = /[\\`*_[\]<|~]|&(?=#?[A-Za-z0-9]+;)|(?<=[A-Za-z0-9])\.(?=[A-Za-z0-9])|:(?=\/)/g;
const LINE_START = /^(?:[#>+=-]|\d+(?=[.)]))/;
// C0/C1 controls (but tab), bidi controls, and the Unicode line separators.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const reference = (ch: string) => `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};`;

/**
 * One line of text. Blanks that Markdown (and prettier) would drop or fold stay visible as
 * references: leading ones (they would open a code block), trailing ones, tabs, and every
 * space after the first of a run.
 */
function escapeLine(line: string): string {
  const lead = /^[ \t]*/.exec(line)![0];
  const trail = /[ \t]*$/.exec(line.slice(lead.length))![0];
  const middle = line
    .slice(lead.length, line.length - trail.length)
    .replace(ANYWHERE, '\\$&')
    .replace(LINE_START, (start) => (/^\d/.test(start) ? `${start}\\` : `\\${start}`))
    .replace(INVISIBLE, reference)
    .replace(/\t/g, reference)
    .replace(/ {2,}/g, (run) => ` ${reference(' ').repeat(run.length - 1)}`);
  return lead.replace(/[ \t]/g, reference) + middle + trail.replace(/[ \t]/g, reference);
}

const isBlank = (line: string) => line.trim() === '';

/**
 * Paragraph text: line breaks stay line breaks, and a blank line separates paragraphs (runs of
 * them, and blank lines at either end, fold as Markdown folds them anyway).
 */
export function markdownText(text: string): string {
  const lines = text.split(/\r\n|\n/);
  const kept = lines.filter((line, i) => !isBlank(line) || (i > 0 && !isBlank(lines[i - 1]!)));
  while (kept.length > 0 && isBlank(kept.at(-1)!)) kept.pop();
  return kept.map((line) => (isBlank(line) ? '' : escapeLine(line))).join('\n');
}

/**
 * Text for one list item: its lines are hard breaks inside the item, never new blocks, indented
 * as prettier indents them (`- ` items by 2, `- [ ] ` task items by 6).
 */
export function markdownListItem(text: string, indent = '  '): string {
  return text
    .split(/\r\n|\n/)
    .filter((line) => !isBlank(line))
    .map(escapeLine)
    .join(`\\\n${indent}`);
}

/** One task list item (`- [ ] text`), for a checklist of open work. */
export const markdownTask = (text: string) => `- [ ] ${markdownListItem(text, '      ')}`;

/** A backtick fence longer than any run of backticks in `content`. */
export function codeFence(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
