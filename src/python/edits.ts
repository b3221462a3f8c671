import { conflict } from '../errors.js';

/** Text to insert at an offset of the original. */
export interface Insertion {
  at: number;
  text: string;
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

/** Applies insertions (offsets in the original) and says where each landed in the result. */
export function applyInsertions(source: string, insertions: readonly Insertion[]): { text: string; added: AddedText[] } {
  const ordered = [...insertions].sort((a, b) => a.at - b.at);
  let text = '';
  let cursor = 0;
  const added: AddedText[] = [];
  for (const { at, text: inserted } of ordered) {
    text += source.slice(cursor, at);
    added.push({ offset: text.length, text: inserted });
    text += inserted;
    cursor = at;
  }
  return { text: text + source.slice(cursor), added };
}

/**
 * Takes out exactly what a patch added. Each piece is looked for where the patch put it, and
 * else as the one place in the file that holds it, so that edits made elsewhere since do not
 * matter; with nothing else changed, the result is the original bytes.
 */
export function unpatchAggregator(source: string, added: readonly AddedText[], file: string): { text: string; changed: boolean } {
  let text = source;
  // Last first, so earlier offsets still hold.
  for (const piece of [...added].sort((a, b) => b.offset - a.offset)) {
    let offset = text.startsWith(piece.text, piece.offset) ? piece.offset : text.indexOf(piece.text);
    if (offset >= 0 && offset !== piece.offset && text.indexOf(piece.text, offset + 1) >= 0) offset = -1;
    if (offset < 0) {
      throw conflict(`${file}: the registration was edited since it was generated; it cannot be taken out safely.`, [
        `Looked for: ${JSON.stringify(piece.text)}`,
        'Remove it by hand, or pass --force.',
      ]);
    }
    text = text.slice(0, offset) + text.slice(offset + piece.text.length);
  }
  return { text, changed: text !== source };
}
