/**
 * Small facts about data read back from disk, shared by the stages that validate it: records,
 * the journal, config and payloads.
 */

/** A JSON object (not an array, not null). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A sha256 as records and the journal keep it. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
export { sha256 } from './hash/sha256.js';

/**
 * Indented JSON that is ASCII-only, so no invisible or bidi character hides in it: for code
 * blocks in generated READMEs and for records, which people read in diffs.
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value, null, 2);
  // JSON.stringify escapes every control character but DEL, and its only newlines are its own:
  // a text whose UTF-8 is as long as it is has nothing above 0x7f. Checked natively first, as a
  // cold run's regular expressions run in V8's regexp interpreter (0.5 ms for a record).
  if (Buffer.byteLength(json) === json.length && !json.includes('\x7f')) return json;
  return json.replace(/[^\x20-\x7e\n]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `1 file`, `3 files`: a count with its noun, for messages. */
export const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** `build()` on the first call only, its result on every call: work kept off the start-up path until needed. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * `compute` remembered by its argument, for pure functions of short strings that come back
 * again and again (the sort keys of imported names: a batch asks for the same ones in every
 * module it generates). It keeps one entry per distinct string for the run.
 */
export function memoized<T>(compute: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) {
      value = compute(text);
      known.set(text, value);
    }
    return value;
  };
}
