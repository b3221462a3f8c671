import { fstatSync, writeSync } from 'node:fs';
import { requireLazily } from '../lazy-import.js';

/** What the reporter writes to: a stream's `write`, and whether it is a terminal. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Linux's memory devices (`/dev/null`, `/dev/zero`): character devices that are never terminals. */
const MEMORY_DEVICES = 1;

/**
 * stdout or stderr, written with synchronous writes to the file descriptor rather than through
 * `process.stdout` and `process.stderr`. Creating those loads Node's stream machinery (for a
 * pipe, its socket machinery too): about 3 ms of every cold run, a tenth of what a feature costs
 * over `node -e 0`. Written this way, everything is out when the run ends, in order. A reader that
 * stops early (`list | head -1`) makes the rest of the output go nowhere, and the run ends with
 * its own exit code. A descriptor another process left non-blocking (EAGAIN) is handed to Node's
 * stream, which waits for it, from that write on.
 */
export class StdStream implements TextSink {
  private closed = false;
  private stream: NodeJS.WriteStream | undefined;
  private tty: boolean | undefined;

  constructor(
    private readonly fd: number,
    private readonly nodeStream: () => NodeJS.WriteStream,
  ) {}

  write(text: string): true {
    if (this.closed || text === '') return true;
    if (this.stream) return this.toStream(text);
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        this.stream = this.nodeStream();
        return this.toStream(bytes.subarray(written));
      }
      // EPIPE: the reader is gone. Anything else (a full disk under `> file`) cannot be reported
      // on the stream that failed, and must not turn the run's result into a crash either.
      this.closed = true;
    }
    return true;
  }

  /** Whether a write handed to Node's stream is still waiting: the process must not exit yet. */
  get pending(): boolean {
    return this.stream !== undefined && this.stream.writableLength > 0;
  }

  get isTTY(): boolean {
    this.tty ??= this.isTerminal();
    return this.tty;
  }

  private toStream(data: string | Uint8Array): true {
    this.stream!.write(data);
    return true;
  }

  /** `tty.isatty`, asked only of a character device that may be a terminal: loading `node:tty` loads `net`. */
  private isTerminal(): boolean {
    let stat;
    try {
      stat = fstatSync(this.fd);
    } catch {
      return false;
    }
    if (!stat.isCharacterDevice()) return false;
    if (process.platform === 'linux' && Math.floor(stat.rdev / 256) % 4096 === MEMORY_DEVICES) return false;
    return requireLazily<typeof import('node:tty')>('node:tty').isatty(this.fd);
  }
}

export const stdout = new StdStream(1, () => process.stdout);
export const stderr = new StdStream(2, () => process.stderr);

/** Whether output handed to Node's streams is still being written. */
export const outputPending = (): boolean => stdout.pending || stderr.pending;
