import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { invalidInput, PetsageError } from '../errors.js';
import { builtinPayloadsDir } from '../paths.js';

export interface PayloadInput {
  bytes: Uint8Array;
  /** How messages name the input: a path, `stdin` or `builtin <name>`. */
  source: string;
}

export function builtinNames(): string[] {
  return readdirSync(builtinPayloadsDir())
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function readBuiltin(name: string): PayloadInput {
  const unknown = () => invalidInput(`no such built-in payload: ${name}; available: ${builtinNames().join(', ')}`, { path: '--builtin' });
  // A feature name only, so the file read is one of the built-ins; listing them is for the error alone.
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw unknown();
  try {
    return { bytes: readFileSync(path.join(builtinPayloadsDir(), `${name}.json`)), source: `builtin ${name}` };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw unknown();
    throw error;
  }
}

/**
 * At most this many bytes of payload input per run, all files and stdin together. Input is
 * counted while it is read and reading stops just past the limit, so an endless or huge input
 * costs about this much memory and time, never all of it.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const tooLarge = (source: string) =>
  invalidInput(`the payload input is over ${MAX_INPUT_BYTES} bytes (64 MiB), the limit for all payload files and stdin of one run together; nothing was written.`, { path: source, hints: [
    'Split the batch into several runs.',
  ] });

const CHUNK = 1024 * 1024;

/**
 * Reads a descriptor to its end, or stops once past `limit` bytes (the caller refuses those).
 * `chunkSize` is the file's size plus one when known, so a small file costs no 1 MiB buffer.
 */
function readUpTo(fd: number, limit: number, chunkSize: number): Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const chunk = Buffer.allocUnsafe(chunkSize);
    const read = readSync(fd, chunk, 0, chunkSize, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    size += read;
  }
  return Buffer.concat(chunks, size);
}

/**
 * A stream's bytes, or, once past `limit`, what was read so far: the rest is not worth reading,
 * and leaving the loop destroys the stream, so a producer on the other end of a pipe stops too.
 */
export async function readStream(stream: AsyncIterable<Uint8Array>, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks, size);
}

function readFile(file: string, cwd: string, limit: number): PayloadInput {
  let fd: number;
  try {
    fd = openSync(path.resolve(cwd, file), 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    // A plain file's size is known: one over the limit is refused without reading a byte.
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) throw tooLarge(file);
    // Anything else (a pipe, `<(...)`, /dev/zero) is read only up to the limit.
    return { bytes: readUpTo(fd, limit, stat.isFile() ? Math.min(stat.size + 1, CHUNK) : CHUNK), source: file };
  } catch (error) {
    if (error instanceof PetsageError) throw error;
    throw unreadable(file, error);
  } finally {
    closeSync(fd);
  }
}

function unreadable(file: string, error: unknown) {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
  return invalidInput(`cannot read the payload (${reason}). Check the path.`, { path: file });
}

/**
 * The inputs' bytes: payload files (`-` for stdin, once), or a built-in. Either files or a
 * built-in must be given, not both. They are read in order against one budget of
 * MAX_INPUT_BYTES; `readStdin` is asked to stop past what is left of it.
 */
export async function readPayloadInputs(
  files: readonly string[],
  builtin: string | undefined,
  cwd: string,
  readStdin: (limit: number) => Promise<Buffer>,
): Promise<PayloadInput[]> {
  if (files.length > 0 && builtin !== undefined) {
    throw invalidInput('give either payload files or --builtin, not both.', { path: '--builtin' });
  }
  if (builtin !== undefined) return [readBuiltin(builtin)];
  if (files.length === 0) {
    throw invalidInput(`no payload given: pass payload files, - to read stdin, or --builtin <name> (available: ${builtinNames().join(', ')}).`, { path: 'payloads' });
  }
  if (files.filter((file) => file === '-').length > 1) throw invalidInput('- (stdin) may be given once.', { path: 'payloads' });
  const inputs: PayloadInput[] = [];
  let total = 0;
  for (const file of files) {
    const left = MAX_INPUT_BYTES - total;
    const input = file === '-' ? { bytes: await readStdin(left), source: 'stdin' } : readFile(file, cwd, left);
    total += input.bytes.length;
    // Checked here, not only by the readers, so that a reader that ignores the limit is caught too.
    if (total > MAX_INPUT_BYTES) throw tooLarge(input.source);
    inputs.push(input);
  }
  return inputs;
}
