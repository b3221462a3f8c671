import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { BIN } from './paths.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit is a result, not an exception. */
export async function run(file: string, args: readonly string[], options: { cwd?: string; input?: Buffer | Readable; env?: Record<string, string> } = {}): Promise<RunResult> {
  const result = await execa(file, args, { reject: false, ...options, env: { NO_COLOR: '1', ...options.env } });
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The built binary, as a user runs it. */
export const petsage = (args: readonly string[], options: Parameters<typeof run>[2] = {}) => run('node', [BIN, ...args], options);
