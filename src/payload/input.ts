import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { invalidInput } from '../errors.js';
import { BUILTIN_PAYLOADS_DIR } from '../paths.js';

export interface PayloadInput {
  bytes: Uint8Array;
  /** How messages name the input: a path, `stdin` or `builtin <name>`. */
  source: string;
}

export function builtinNames(): string[] {
  return readdirSync(BUILTIN_PAYLOADS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function readBuiltin(name: string): PayloadInput {
  if (!builtinNames().includes(name)) {
    throw invalidInput(`--builtin ${name}: no such built-in payload; available: ${builtinNames().join(', ')}`);
  }
  return { bytes: readFileSync(path.join(BUILTIN_PAYLOADS_DIR, `${name}.json`)), source: `builtin ${name}` };
}

/** The payload's bytes, from a file, `-` for stdin, or a built-in. Exactly one must be given. */
export async function readPayloadInput(
  file: string | undefined,
  builtin: string | undefined,
  cwd: string,
  readStdin: () => Promise<Buffer>,
): Promise<PayloadInput> {
  if (file !== undefined && builtin !== undefined) {
    throw invalidInput('give either a payload file or --builtin, not both.');
  }
  if (builtin !== undefined) return readBuiltin(builtin);
  if (file === undefined) {
    throw invalidInput(`no payload given: pass a payload file, - to read stdin, or --builtin <name> (available: ${builtinNames().join(', ')}).`);
  }
  if (file === '-') return { bytes: await readStdin(), source: 'stdin' };
  try {
    return { bytes: readFileSync(path.resolve(cwd, file)), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
    throw invalidInput(`${file}: cannot read the payload (${reason}). Check the path.`);
  }
}
