import { requireLazily } from '../lazy-import.js';
import { sha256 } from '../data.js';
import { decodeUtf8 } from '../utf8.js';
import { conflict, type Problem } from '../errors.js';
import type { FileData } from '../commit/content.js';
import { deflateFixed } from './deflate.js';

/**
 * The merge base of `update`: what was generated last time, kept in the feature's record as
 * `"base": "<format>:<base64>"` of a JSON header line listing each generated file's path and
 * byte length (`[["app/x.py", 120], ...]`), then the files' bytes one after the other, in the
 * order of the header. A resource's migration has none: it is never rewritten, so never merged.
 *
 * The format is by the frame's size: up to 16 KiB (a status feature's, about 5 KB) raw deflate
 * (`deflate:`) from src/record/deflate.ts, which spares a run loading `node:zlib` (about 3 ms
 * of a cold run, a tenth of its cost), for about 12 % more bytes than Brotli; above (a
 * resource's, about 36 KB), Brotli at quality 0 (`brotli:`), faster than deflate at that size
 * and about a fifth smaller. Either is read, by zlib, whatever its size.
 *
 * In the record rather than in a store of its own, so that it lives and dies with the record:
 * `remove` and `forget` drop it with the record, a commit carries both or neither, and no store
 * needs collecting. Compressed per feature, as one stream, because a feature's files repeat
 * its names: 1,000 status features take about 3 MB of records' base, a resource about 14 KB.
 * The files' bytes are framed as they are, not decoded into JSON strings, and only the
 * compressed bytes are held until the record is written.
 */
const BROTLI_FORMAT = 'brotli:';
const DEFLATE_FORMAT = 'deflate:';
/** The largest frame kept as deflate: above it, loading zlib for Brotli pays for itself. */
const DEFLATE_UP_TO = 16 * 1024;

/** Loaded only by a run that packs a large frame or decodes a base. */
const zlib = () => requireLazily<typeof import('node:zlib')>('node:zlib');

/**
 * Brotli at quality 0 with a 64 KiB window, which holds a feature's files. Compressing the frame
 * of a resource (36 KB) takes 97 us at quality 0, 158 us at quality 1 and about 250 us with
 * deflate level 1 (340 us with src/record/deflate.ts, for a fifth more bytes). Quality 0 makes
 * 3-4 % more bytes than quality 1 (measured over 200 and 1,000 frames of the bench's batches).
 * Higher qualities and the default window size its per-call buffers for megabytes; quality 5
 * once took a 10,000-feature batch's peak memory from 296 to 412 MB. An output chunk of 8 KiB
 * rather than 16 KiB: each call's chunk lives outside V8's heap until a full collection.
 */
function brotli(frame: Buffer): Buffer {
  const { brotliCompressSync, constants } = zlib();
  return brotliCompressSync(frame, {
    chunkSize: 8 * 1024,
    params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 16, [constants.BROTLI_PARAM_SIZE_HINT]: frame.length },
  });
}

/** A frame's format, by its size. */
const formatFor = (size: number) => (size <= DEFLATE_UP_TO ? DEFLATE_FORMAT : BROTLI_FORMAT);
/** A frame compressed as its format says: a copy, never a view of a larger buffer, which holding it would keep. */
const compress = (frame: Buffer): Buffer => Buffer.from(frame.length <= DEFLATE_UP_TO ? deflateFixed(frame) : brotli(frame));

/** A packed base as its record takes it: the format's prefix and the compressed bytes. */
interface Packed {
  format: string;
  bytes: Buffer;
}

/** A record's base, encoded; far above any feature's (a resource of 50 fields is under 100 KB). */
export const MAX_BASE_CHARS = 16 * 1024 * 1024;
/** What a base may decompress to, so a small hostile record cannot expand without end. */
const MAX_BASE_BYTES = 64 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reused by every frame of a run: a batch would otherwise make and drop a copy of each feature's files. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/** The framed bytes of a feature's files, by path: a view of the scratch buffer, valid until the next frame. */
function frame(files: readonly { path: string; data: FileData }[]): Buffer {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map(({ path, data }) => ({ path, data, size: Buffer.byteLength(data) }));
  const header = `${JSON.stringify(sorted.map(({ path, size }) => [path, size]))}\n`;
  const size = Buffer.byteLength(header) + sorted.reduce((sum, file) => sum + file.size, 0);
  if (size > scratch.length) scratch = Buffer.allocUnsafeSlow(size);
  let at = scratch.write(header);
  for (const { data } of sorted) at += typeof data === 'string' ? scratch.write(data, at) : data.copy(scratch, at);
  return scratch.subarray(0, at);
}

/**
 * A feature's files as rendered, collected as they are made and packed as soon as the last one
 * is: a batch holds each feature's files only until then, and its packed base until its record
 * is made.
 */
export class BaseFiles {
  private files: { path: string; data: FileData }[] = [];
  // The bytes and their format apart, not one object holding both: for 10,000 features that
  // object kept each base's buffer alive through more collections, 18 MiB more at the peak.
  private packed: Buffer | undefined;
  private format = DEFLATE_FORMAT;

  constructor(private readonly paths: readonly string[]) {}

  add(path: string, data: FileData): void {
    if (this.packed !== undefined || !this.paths.includes(path) || this.files.some((file) => file.path === path)) return;
    this.files.push({ path, data });
    if (this.files.length === this.paths.length) this.packNow();
  }

  /**
   * The packed base; a file not made yet (none is, in the usual order: the commit writes a
   * feature's files before its record) is made through `make`.
   */
  pack(make: (path: string) => FileData | undefined): Packed {
    for (const path of this.paths) {
      if (this.packed !== undefined) break;
      if (!this.files.some((file) => file.path === path)) this.add(path, make(path) ?? '');
    }
    if (this.packed === undefined) this.packNow();
    // Given once, to the record, and not held after: asked again, the files are made again.
    const packed = { format: this.format, bytes: this.packed! };
    this.packed = undefined;
    return packed;
  }

  /**
   * Compressed now, on the main thread: in libuv's pool, a batch's thousands of pending jobs
   * would each hold a zlib stream's buffers at once (2.5 GB for 10,000 features, measured).
   */
  private packNow(): void {
    const framed = frame(this.files);
    this.format = formatFor(framed.length);
    this.packed = compress(framed);
    this.files = [];
  }
}

/** The record's `base` value of packed files. */
export const baseValue = ({ format, bytes }: Packed): string => `${format}${bytes.toString('base64')}`;

/** The `base` of these texts, by path, at once (for tests and tools). */
export function encodeBase(texts: Readonly<Record<string, string>>): string {
  const framed = frame(Object.entries(texts).map(([path, data]) => ({ path, data })));
  return baseValue({ format: formatFor(framed.length), bytes: compress(framed) });
}

/** The format a base is kept in, by its prefix. */
const formatOf = (value: string) => [BROTLI_FORMAT, DEFLATE_FORMAT].find((format) => value.startsWith(format));

/** A base's frame, decompressed as its format says, never past MAX_BASE_BYTES. */
function unpack(base: string): Buffer {
  const format = formatOf(base);
  const packed = Buffer.from(base.slice(format?.length ?? 0), 'base64');
  if (format === BROTLI_FORMAT) return zlib().brotliDecompressSync(packed, { maxOutputLength: MAX_BASE_BYTES });
  if (format === DEFLATE_FORMAT) return zlib().inflateRawSync(packed, { maxOutputLength: MAX_BASE_BYTES });
  throw new Error(`not "${BROTLI_FORMAT}" or "${DEFLATE_FORMAT}"`);
}

/** The record's `base` key checked for shape only; it is decoded (and its hashes checked) when `update` reads it. */
export function baseShapeProblems(value: unknown): Problem[] {
  if (value === undefined) return [];
  const format = typeof value === 'string' ? formatOf(value) : undefined;
  if (typeof value !== 'string' || format === undefined || value.length > MAX_BASE_CHARS) {
    return [{ path: 'base', message: `must be "${DEFLATE_FORMAT}" or "${BROTLI_FORMAT}" followed by base64, at most ${MAX_BASE_CHARS} characters` }];
  }
  const body = value.slice(format.length);
  return body.length % 4 === 0 && BASE64.test(body) ? [] : [{ path: 'base', message: `is not padded base64 after "${format}"` }];
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
  let bytes: Buffer;
  let header: unknown;
  try {
    bytes = unpack(base);
    const newline = bytes.indexOf(10);
    header = JSON.parse(bytes.subarray(0, newline < 0 ? bytes.length : newline).toString('utf8'));
    bytes = bytes.subarray(newline + 1);
  } catch (error) {
    throw invalidBase(file, [{ path: 'base', message: `does not decode: ${(error as Error).message}` }]);
  }
  const entries = Array.isArray(header) && header.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && Number.isSafeInteger(entry[1]) && entry[1] >= 0) ? (header as [string, number][]) : undefined;
  if (!entries || entries.reduce((sum, [, length]) => sum + length, 0) !== bytes.length) {
    throw invalidBase(file, [{ path: 'base', message: 'must start with a header of [path, byte length] pairs that add up to the bytes after it' }]);
  }
  const recorded = new Map(files.map((entry) => [entry.path, entry.sha256]));
  const problems: Problem[] = [];
  const byPath = new Map<string, string>();
  let at = 0;
  for (const [path, length] of entries) {
    const content = bytes.subarray(at, (at += length));
    const where = `base[${JSON.stringify(path)}]`;
    const text = decodeUtf8(content, { keepBom: true });
    if (!recorded.has(path)) problems.push({ path: where, message: 'is not a file the record lists' });
    else if (sha256(content) !== recorded.get(path)) problems.push({ path: where, message: 'its sha256 is not the one files records for that path' });
    else if (text === undefined) problems.push({ path: where, message: 'is not UTF-8 text' });
    else byPath.set(path, text);
  }
  if (problems.length > 0) throw invalidBase(file, problems);
  return byPath;
}
