import { sha256 } from '../data.js';

/**
 * A staged file's bytes: held, or made when needed and dropped again, so a 10,000-feature batch
 * never holds all its files in memory at once. A file made on demand is hashed the first time it
 * is made; a new file is made once, when the commit writes it, and its record (staged after it)
 * is made after that from its hash.
 */
export class Content {
  private hash: string | undefined;

  private constructor(
    private readonly held: Buffer | undefined,
    private readonly make: (() => Buffer) | undefined,
    private seen?: (bytes: Buffer) => void,
  ) {}

  static of(bytes: string | Buffer): Content {
    // A Buffer is kept as it is: copying every file of a large batch would double its memory.
    return new Content(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, undefined);
  }

  /**
   * Made only when its bytes or its hash are asked for, and again each time; `make` must give the
   * same bytes every time. `seen` gets the bytes the first time they are made.
   */
  static onDemand(make: () => Buffer, seen?: (bytes: Buffer) => void): Content {
    return new Content(undefined, make, seen);
  }

  get sha256(): string {
    if (this.hash === undefined && this.held !== undefined) this.hash = sha256(this.held);
    if (this.hash === undefined) this.bytes();
    return this.hash!;
  }

  bytes(): Buffer {
    if (this.held !== undefined) return this.held;
    const bytes = this.make!();
    const hash = sha256(bytes);
    // What is written must be what the record and the journal say was written.
    if (this.hash !== undefined && hash !== this.hash) throw new Error('internal error: a generated file rendered differently the second time');
    this.hash = hash;
    // Once: whoever needs the bytes as made (a merge base) gets them the first time.
    this.seen?.(bytes);
    this.seen = undefined;
    return bytes;
  }
}

/**
 * Holds what it makes up to `limit` bytes in all, and past that keeps only how to make it again:
 * a held file needs no second render when it already exists on disk and must be compared.
 */
export class HoldingBudget {
  private used = 0;

  constructor(private readonly limit: number) {}

  /** `seen` gets the bytes once, as made, whether they are held or not (update's merge base is made from them). */
  content(make: () => Buffer, seen?: (bytes: Buffer) => void): Content {
    if (this.used >= this.limit) return Content.onDemand(make, seen);
    const bytes = make();
    seen?.(bytes);
    this.used += bytes.length;
    return Content.of(bytes);
  }
}
