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

function readFile(file: string, cwd: string): PayloadInput {
  try {
    return { bytes: readFileSync(path.resolve(cwd, file)), source: file };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
    throw invalidInput(`${file}: cannot read the payload (${reason}). Check the path.`);
  }
}

/**
 * The inputs' bytes: payload files (`-` for stdin, once), or a built-in. Either files or a
 * built-in must be given, not both.
 */
export async function readPayloadInputs(
  files: readonly string[],
  builtin: string | undefined,
  cwd: string,
  readStdin: () => Promise<Buffer>,
): Promise<PayloadInput[]> {
  if (files.length > 0 && builtin !== undefined) {
    throw invalidInput('give either payload files or --builtin, not both.');
  }
  if (builtin !== undefined) return [readBuiltin(builtin)];
  if (files.length === 0) {
    throw invalidInput(`no payload given: pass payload files, - to read stdin, or --builtin <name> (available: ${builtinNames().join(', ')}).`);
  }
  if (files.filter((file) => file === '-').length > 1) throw invalidInput('- (stdin) may be given once.');
  return Promise.all(files.map(async (file) => (file === '-' ? { bytes: await readStdin(), source: 'stdin' } : readFile(file, cwd))));
}
