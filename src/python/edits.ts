import { conflict } from '../errors.js';
import type { ScanProblem } from './scan.js';

/** Text to insert at an offset of the original. */
export interface Insertion {
  at: number;
  text: string;
  /** Set where the file is sorted: insertions at one offset go in this order. */
  sortAs?: string;
  /** A blank line to put before (or after) the group of insertions at this offset. */
  blankBefore?: boolean;
  blankAfter?: boolean;
}

/** Text a patch added, at its offset in the patched file. */
export interface AddedText {
  offset: number;
  text: string;
}

export function lineEnding(source: string): string {
  const first = source.indexOf('\n');
  return first > 0 && source[first - 1] === '\r' ? '\r\n' : '\n';
}

export const lineNumber = (source: string, offset: number) => source.slice(0, offset).split('\n').length;

/** The lines around `offset`, numbered, with a marker on the line itself. */
export function showRegion(source: string, offset: number, context = 2): string[] {
  const lines = source.split(/\r?\n/);
  const at = lineNumber(source, offset) - 1;
  const from = Math.max(0, at - context);
  return lines.slice(from, at + context + 1).map((line, i) => `${from + i === at ? '>' : ' '} ${String(from + i + 1).padStart(4)} | ${line}`);
}

/** The refusal of a target's Python file the scanner cannot read (exit 3), pointing at the place. */
export const invalidPython = (file: string, source: string, problem: ScanProblem) =>
  conflict(`is not valid Python (${problem.message}); nothing was changed.`, {
    path: `${file}:${lineNumber(source, problem.offset)}`,
    context: showRegion(source, problem.offset),
    hints: ['Fix the file, then run again.'],
  });

/**
 * Applies insertions (offsets in the original; at one offset, in the order given) and says
 * where each landed in the result, in the order of `insertions`.
 */
export function applyInsertions(source: string, insertions: readonly Insertion[]): { text: string; added: AddedText[] } {
  const order = insertions.map((_, i) => i).sort((a, b) => insertions[a]!.at - insertions[b]!.at || a - b);
  const parts: string[] = [];
  let length = 0;
  let cursor = 0;
  const added: AddedText[] = new Array(insertions.length);
  for (const i of order) {
    const { at, text: inserted } = insertions[i]!;
    const kept = source.slice(cursor, at);
    parts.push(kept, inserted);
    length += kept.length;
    added[i] = { offset: length, text: inserted };
    length += inserted.length;
    cursor = at;
  }
  parts.push(source.slice(cursor));
  return { text: parts.join(''), added };
}

/**
 * The text with `length` characters at `offset` taken out, minding the blank lines around: a
 * leading blank line that separated a group of insertions from the code above stays while
 * other lines of the group still follow; taking out the last line between two blank lines
 * leaves one blank line, not two, and none at the end of the file.
 */
export function cut(text: string, offset: number, length: number): string {
  const before = text.slice(0, offset);
  const piece = text.slice(offset, offset + length);
  const after = text.slice(offset + length);
  const blank = /^\r?\n/.exec(piece)?.[0];
  const blankAbove = /\n\r?\n$/.test(before);
  const blankBelow = /^\r?\n/.exec(after)?.[0];
  if (blank && piece.length > blank.length) {
    const followedByCode = after !== '' && !blankBelow;
    return followedByCode && before.endsWith('\n') && !blankAbove ? before + blank + after : before + after;
  }
  if (piece.endsWith('\n') && blankAbove && blankBelow) return before + after.slice(blankBelow.length);
  // The last lines of the file: the blank line above them goes too.
  if (piece.endsWith('\n') && blankAbove && after === '') return before.replace(/\r?\n$/, '');
  return before + after;
}

/** The one place `piece` stands as whole lines (or anywhere, for a piece within a line). */
function findPiece(text: string, piece: string): number {
  const wholeLines = piece.endsWith('\n');
  const found: number[] = [];
  for (let at = text.indexOf(piece); at >= 0 && found.length < 2; at = text.indexOf(piece, at + 1)) {
    if (!wholeLines || at === 0 || text[at - 1] === '\n') found.push(at);
  }
  return found.length === 1 ? found[0]! : -1;
}

/**
 * Takes out exactly what a patch added. Each piece is looked for where the patch put it, and
 * else as the one place in the file that holds it (later insertions may have moved it, or
 * taken over its leading blank line), so that other edits do not matter; with nothing else
 * changed, the result is the original bytes.
 */
/**
 * Where a piece a patch added stands in `text`: where the patch put it, and else the one place
 * in the file that holds it (later insertions may have moved it, or taken over its leading blank
 * line); undefined when it is no longer there as added.
 */
export function locatePiece(text: string, piece: AddedText): { offset: number; length: number } | undefined {
  const offset = text.startsWith(piece.text, piece.offset) ? piece.offset : findPiece(text, piece.text);
  if (offset >= 0) return { offset, length: piece.text.length };
  const blank = /^\r?\n/.exec(piece.text)?.[0];
  const bare = blank ? findPiece(text, piece.text.slice(blank.length)) : -1;
  return bare >= 0 ? { offset: bare, length: piece.text.length - blank!.length } : undefined;
}

export function unpatchAggregator(source: string, added: readonly AddedText[], file: string): { text: string; changed: boolean } {
  let text = source;
  // Last first, so earlier offsets still hold.
  for (const piece of [...added].sort((a, b) => b.offset - a.offset)) {
    const found = locatePiece(text, piece);
    if (!found) {
      throw conflict('the registration was edited since it was generated; it cannot be taken out safely.', {
        path: file,
        context: [`Looked for: ${JSON.stringify(piece.text)}`],
        hints: ['Remove it by hand, or pass --force.'],
      });
    }
    text = cut(text, found.offset, found.length);
  }
  return { text, changed: text !== source };
}
