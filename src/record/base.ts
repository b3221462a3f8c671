import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { isPlainObject, sha256 } from '../data.js';
import { conflict, type Problem } from '../errors.js';

/**
 * The merge base of `update`: what was generated last time, kept in the feature's record as
 * `"base": "br:<base64>"`, the brotli of a JSON object of each generated file's text by path.
 * A resource's migration has none: it is never rewritten, so never merged.
 *
 * In the record rather than in a store of its own, so that it lives and dies with the record:
 * `remove` and `forget` drop it with the record, a commit carries both or neither, and no store
 * needs collecting. Compressed per feature, as one stream, because a feature's files repeat
 * its names: 1,000 status features take about 2.5 MB of records' base (1.9 MB of brotli, plus
 * base64's third), a resource about 10 KB. Brotli quality 5: within 1 % of quality 6 at
 * two thirds of the time, 0.15 ms a feature (11 saves 10 % at fifty times the cost).
 */
export const BASE_FORMAT = 'br:';
const QUALITY = 5;
/** A record's base, encoded; far above any feature's (a resource of 50 fields is under 100 KB). */
export const MAX_BASE_CHARS = 16 * 1024 * 1024;
/** What a base may decompress to, so a small hostile record cannot expand without end. */
const MAX_BASE_BYTES = 64 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A feature's files as rendered, collected as they are made, then encoded once. */
export class BaseTexts {
  private readonly texts: Record<string, string> = {};

  add(path: string, bytes: Buffer): void {
    this.texts[path] = bytes.toString('utf8');
  }

  encode(): string {
    return encodeBase(this.texts);
  }
}

export function encodeBase(texts: Readonly<Record<string, string>>): string {
  const sorted = Object.fromEntries(Object.entries(texts).sort(([a], [b]) => (a < b ? -1 : 1)));
  const json = Buffer.from(JSON.stringify(sorted));
  const packed = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } });
  return `${BASE_FORMAT}${packed.toString('base64')}`;
}

/** The record's `base` key checked for shape only; it is decoded (and its hashes checked) when `update` reads it. */
export function baseShapeProblems(value: unknown): Problem[] {
  if (value === undefined) return [];
  if (typeof value !== 'string' || !value.startsWith(BASE_FORMAT) || value.length > MAX_BASE_CHARS) {
    return [{ path: 'base', message: `must be "${BASE_FORMAT}" followed by base64, at most ${MAX_BASE_CHARS} characters` }];
  }
  const body = value.slice(BASE_FORMAT.length);
  return body.length % 4 === 0 && BASE64.test(body) ? [] : [{ path: 'base', message: 'is not padded base64 after "br:"' }];
}

/** A base that fails is exit 3 naming the record and the entry: nothing is merged from it, nothing written. */
const invalidBase = (file: string, problems: readonly Problem[]) =>
  conflict('keeps a base (what was generated last time) that does not match its files; nothing was written.', {
    path: file,
    problems,
    hints: ['Restore the record from version control, or delete its "base" key: files edited since are then merged by hand (--conflicts=markers).'],
  });

/**
 * The base of each recorded file, by path, each text checked against the hash the record keeps
 * for it; undefined when the record has none (made by an older petsage-build).
 */
export function decodeBase(base: string | undefined, files: readonly { path: string; sha256: string }[], file: string): Map<string, string> | undefined {
  if (base === undefined) return undefined;
  let texts: unknown;
  try {
    const bytes = brotliDecompressSync(Buffer.from(base.slice(BASE_FORMAT.length), 'base64'), { maxOutputLength: MAX_BASE_BYTES });
    texts = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw invalidBase(file, [{ path: 'base', message: `does not decode: ${(error as Error).message}` }]);
  }
  if (!isPlainObject(texts)) throw invalidBase(file, [{ path: 'base', message: 'must hold an object of file texts by path' }]);
  const recorded = new Map(files.map((entry) => [entry.path, entry.sha256]));
  const problems: Problem[] = [];
  const byPath = new Map<string, string>();
  for (const [path, text] of Object.entries(texts)) {
    const where = `base[${JSON.stringify(path)}]`;
    if (!recorded.has(path)) problems.push({ path: where, message: 'is not a file the record lists' });
    else if (typeof text !== 'string') problems.push({ path: where, message: 'must be the text of that file' });
    else if (sha256(Buffer.from(text)) !== recorded.get(path)) problems.push({ path: where, message: 'its sha256 is not the one files records for that path' });
    else byPath.set(path, text);
  }
  if (problems.length > 0) throw invalidBase(file, problems);
  return byPath;
}
