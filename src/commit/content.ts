import { sha256 } from '../data.js';

/**
 * A staged file's bytes: held, or made again when needed. A batch's generated files are made
 * once to be hashed (the record and the journal need the hash before anything is written) and
 * again when written, so a 10,000-feature batch never holds all its files in memory at once.
 */
export class Content {
  private hash: string | undefined;

  private constructor(
    private readonly held: Buffer | undefined,
    private readonly make: (() => Buffer) | undefined,
  ) {}

  static of(bytes: string | Buffer): Content {
    // A Buffer is kept as it is: copying every file of a large batch would double its memory.
    return new Content(typeof bytes === 'string' ? Buffer.from(bytes) : bytes, undefined);
  }

  /** Made now for its hash (and `seen`), then dropped; `make` must give the same bytes every time. */
  static remade(make: () => Buffer, seen?: (bytes: Buffer) => void): Content {
    const content = new Content(undefined, make);
    const bytes = make();
    seen?.(bytes);
    content.hash = sha256(bytes);
    return content;
  }

  get sha256(): string {
    return (this.hash ??= sha256(this.held!));
  }

  bytes(): Buffer {
    if (this.held !== undefined) return this.held;
    const bytes = this.make!();
    // What is written must be what the record and the journal say was written.
    if (sha256(bytes) !== this.hash) throw new Error('internal error: a generated file rendered differently the second time');
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
    if (this.used >= this.limit) return Content.remade(make, seen);
    const bytes = make();
    seen?.(bytes);
    this.used += bytes.length;
    return Content.of(bytes);
  }
}
