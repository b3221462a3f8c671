import { sha256 } from '../data.js';

/**
 * What a file holds: text as generated, or bytes as read. Generated text stays a string until it
 * is written (Node encodes it straight into the file) and is hashed as one, with no Buffer made
 * for it: a Buffer per file of a 10,000-feature batch was 50 MiB of garbage outside V8's heap by
 * the end of its commit, which V8 weighs less than its own when it decides to collect.
 */
export type FileData = string | Buffer;

/** A file's data as bytes (UTF-8 for text), for comparing with what is on disk. */
export const asBytes = (data: FileData): Buffer => (typeof data === 'string' ? Buffer.from(data) : data);

/**
 * A staged file's data: held, or made when needed and dropped again, so a 10,000-feature batch
 * never holds all its files in memory at once. A file made on demand is hashed the first time it
 * is made; a new file is made once, when the commit writes it, and its record (staged after it)
 * is made after that from its hash.
 */
export class Content {
  private hash: string | undefined;

  private constructor(
    private readonly held: FileData | undefined,
    private readonly make: (() => FileData) | undefined,
    private seen?: (data: FileData) => void,
  ) {}

  /** Held as it is: copying every file of a large batch would double its memory. */
  static of(data: FileData): Content {
    return new Content(data, undefined);
  }

  /**
   * Made only when its data or its hash are asked for, and again each time; `make` must give the
   * same data every time. `seen` gets the data the first time it is made.
   */
  static onDemand(make: () => FileData, seen?: (data: FileData) => void): Content {
    return new Content(undefined, make, seen);
  }

  get sha256(): string {
    if (this.hash === undefined && this.held !== undefined) this.hash = sha256(this.held);
    if (this.hash === undefined) this.data();
    return this.hash!;
  }

  /** The bytes, where they are compared or decoded. */
  bytes(): Buffer {
    return asBytes(this.data());
  }

  /** The text or bytes as held or made: what is written and hashed. */
  data(): FileData {
    if (this.held !== undefined) return this.held;
    const data = this.make!();
    const hash = sha256(data);
    // What is written must be what the record and the journal say was written.
    if (this.hash !== undefined && hash !== this.hash) throw new Error('internal error: a generated file rendered differently the second time');
    this.hash = hash;
    // Once: whoever needs the data as made (a merge base) gets it the first time.
    this.seen?.(data);
    this.seen = undefined;
    return data;
  }
}

/** What a file's data takes in memory, about: a generated file's text is mostly ASCII. */
const sizeOf = (data: FileData) => data.length;

/**
 * Holds what it makes up to `limit` bytes in all, and past that keeps only how to make it again:
 * a held file needs no second render when it already exists on disk and must be compared.
 */
export class HoldingBudget {
  private used = 0;

  constructor(private readonly limit: number) {}

  /** `seen` gets the data once, as made, whether it is held or not (update's merge base is made from it). */
  content(make: () => FileData, seen?: (data: FileData) => void): Content {
    if (this.used >= this.limit) return Content.onDemand(make, seen);
    const data = make();
    seen?.(data);
    this.used += sizeOf(data);
    return Content.of(data);
  }
}
