import { Writable } from 'node:stream';

/** A stream that keeps what is written to it, for tests that read a command's output. */
export function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}
