import { isConflictMarker } from '../python/scan.js';
import { importLazily } from '../lazy-import.js';

/**
 * The three-way merge of one generated file that was edited since: base = what was generated
 * last time, ours = the file now, theirs = the fresh render. Lines are merged by node-diff3
 * (the diff3 algorithm `git merge-file` uses, kept up and typed), never by a merge of our own;
 * it is loaded only by a run that merges, off `feature`'s start-up path.
 */
export type Diff3 = typeof import('node-diff3');

export const loadDiff3 = (): Promise<Diff3> => importLazily<Diff3>('node-diff3');

/** A region both sides changed differently, as 1-based inclusive line ranges (empty: start > end). */
export interface ConflictHunk {
  ours: { start: number; end: number };
  theirs: { start: number; end: number };
}

export type MergeResult =
  /** Every change of both sides applied. */
  | { clean: true; text: string }
  /** `text` holds standard conflict markers where the sides disagree. */
  | { clean: false; text: string; hunks: ConflictHunk[] };

export const MARKERS = { ours: '<<<<<<< ours (your file)', separator: '=======', theirs: '>>>>>>> theirs (petsage-build update)' } as const;

/** Whether `text` has a conflict marker line of seven `mark`s (see isConflictMarker). */
function hasMarkerLine(text: string, mark: '<' | '>'): boolean {
  const run = mark.repeat(7);
  for (let at = text.indexOf(run); at !== -1; at = text.indexOf(run, at + 1)) if (isConflictMarker(text, at)) return true;
  return false;
}

/**
 * Whether a file still holds conflict markers: those `update --conflicts=markers` wrote, or those
 * git left when a merge of the backend's history conflicted in it. Until they are resolved the
 * file is broken (it does not parse), not merely edited.
 */
export function hasConflictMarkers(bytes: Buffer): boolean {
  // latin1: one character per byte, so nothing is decoded, and a marker is the same either way.
  const text = bytes.toString('latin1');
  return hasMarkerLine(text, '<') && hasMarkerLine(text, '>');
}

/** Lines with their endings kept, so the merged text is byte-exact where nothing changed (CRLF too). */
const linesOf = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/));

/** A side of a conflict ends with a newline before the next marker, even at the end of a file without one. */
const closed = (lines: readonly string[]): string => {
  const text = lines.join('');
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
};

const range = (index: number, length: number) => ({ start: index + 1, end: index + length });

export function mergeThreeWay(diff3: Diff3, sides: { base: string; ours: string; theirs: string }): MergeResult {
  const regions = diff3.diff3Merge(linesOf(sides.ours), linesOf(sides.base), linesOf(sides.theirs), { excludeFalseConflicts: true });
  return fromRegions(regions.map((region) => (region.ok ? { ok: region.ok } : { conflict: region.conflict! })));
}

/**
 * A file edited since it was generated whose record keeps no base (made by an older
 * petsage-build): nothing tells which side changed a line, so every line the two differ on
 * is a conflict, and only the lines they share are taken as they are.
 */
export function mergeWithoutBase(diff3: Diff3, sides: { ours: string; theirs: string }): MergeResult {
  const ours = linesOf(sides.ours);
  const theirs = linesOf(sides.theirs);
  let oursAt = 0;
  let theirsAt = 0;
  const regions = diff3.diffComm(ours, theirs).map((part) => {
    if (part.common) {
      oursAt += part.common.length;
      theirsAt += part.common.length;
      return { ok: part.common };
    }
    const region = { conflict: { a: part.buffer1, aIndex: oursAt, b: part.buffer2, bIndex: theirsAt } };
    oursAt += part.buffer1.length;
    theirsAt += part.buffer2.length;
    return region;
  });
  return fromRegions(regions);
}

type Region = { ok: string[] } | { conflict: { a: string[]; aIndex: number; b: string[]; bIndex: number } };

function fromRegions(regions: readonly Region[]): MergeResult {
  const hunks: ConflictHunk[] = [];
  const text = regions
    .map((region) => {
      if ('ok' in region) return region.ok.join('');
      const { a, aIndex, b, bIndex } = region.conflict;
      hunks.push({ ours: range(aIndex, a.length), theirs: range(bIndex, b.length) });
      return `${MARKERS.ours}\n${closed(a)}${MARKERS.separator}\n${closed(b)}${MARKERS.theirs}\n`;
    })
    .join('');
  return hunks.length === 0 ? { clean: true, text } : { clean: false, text, hunks };
}

/** `lines 12-14`, `line 12`, or `after line 11` for an empty side: where a hunk is, for a person. */
export function describeLines({ start, end }: { start: number; end: number }): string {
  if (end < start) return start === 1 ? 'no line (at the start)' : `no line (after line ${start - 1})`;
  return start === end ? `line ${start}` : `lines ${start}-${end}`;
}
