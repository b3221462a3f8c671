import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StdStream } from '../../src/output/std-streams.js';

let dir: string;
const fds: number[] = [];
const open = (file: string, flags: number) => {
  const fd = openSync(file, flags);
  fds.push(fd);
  return fd;
};
/** A FIFO's two ends, opened non-blocking, as a pipe another process left non-blocking is. */
function fifo(): { reader: number; writer: number } {
  const file = path.join(dir, 'fifo');
  execFileSync('mkfifo', [file]);
  const reader = open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  return { reader, writer: open(file, constants.O_WRONLY | constants.O_NONBLOCK) };
}
function drain(fd: number): Buffer {
  const chunks: Buffer[] = [];
  const chunk = Buffer.alloc(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, chunk);
    } catch {
      break; // EAGAIN: nothing more
    }
    if (read === 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
  return Buffer.concat(chunks);
}
/** Stands in for process.stdout: keeps what it is given. */
const keeping = () => {
  const kept: Buffer[] = [];
  const stream = { write: (data: string | Uint8Array) => kept.push(Buffer.from(data)), writableLength: 1 } as unknown as NodeJS.WriteStream;
  return { kept, stream };
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'std-streams-'));
});
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

describe('StdStream', () => {
  it('writes text to its file descriptor, in order, all of it before write returns', () => {
    const file = path.join(dir, 'out');
    const stream = new StdStream(open(file, constants.O_WRONLY | constants.O_CREAT), () => keeping().stream);
    stream.write('caf\u00e9 ');
    stream.write('');
    stream.write('\u{1f43e}\n');
    expect(execFileSync('cat', [file])).toEqual(Buffer.from('caf\u00e9 \u{1f43e}\n'));
    expect(stream.pending).toBe(false);
  });

  it('hands a descriptor that says EAGAIN to Node’s stream from that byte on, splitting no character', () => {
    const { reader, writer } = fifo();
    const { kept, stream: node } = keeping();
    const stream = new StdStream(writer, () => node);
    // Larger than a pipe holds (64 KiB on Linux), with multi-byte characters across every boundary.
    const text = 'h\u00e9 \u{1f43e} '.repeat(20_000);
    stream.write(text);
    stream.write('and the next line\n');
    const direct = drain(reader);
    expect(direct.length).toBeGreaterThan(0);
    expect(kept.length).toBe(2);
    expect(Buffer.concat([direct, ...kept]).toString()).toBe(`${text}and the next line\n`);
    expect(stream.pending).toBe(true);
  });

  it('goes quiet once the reader is gone (EPIPE), instead of throwing', () => {
    const { reader, writer } = fifo();
    closeSync(fds.splice(fds.indexOf(reader), 1)[0]!);
    const { kept, stream: node } = keeping();
    const stream = new StdStream(writer, () => node);
    expect(() => stream.write('nobody reads this\n')).not.toThrow();
    expect(() => stream.write('nor this\n')).not.toThrow();
    expect(kept).toEqual([]);
    expect(stream.pending).toBe(false);
  });

  it('is no terminal when it is a file, a pipe or /dev/null', () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    const { writer } = fifo();
    for (const fd of [open(file, constants.O_WRONLY), writer, open('/dev/null', constants.O_WRONLY)]) {
      expect(new StdStream(fd, () => keeping().stream).isTTY).toBe(false);
    }
  });
});
