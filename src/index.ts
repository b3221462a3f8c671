import { readStdin, runCli } from './cli.js';
import { ExitCode, PetsageError } from './errors.js';
import { Reporter } from './log.js';

/**
 * The single error boundary: a PetsageError becomes its message and exit code; anything
 * else is a bug, reported as an internal error (exit 1). Nothing else ends the process.
 */
export async function main(args: readonly string[]): Promise<number> {
  const reporter = new Reporter(process.stdout, process.stderr);
  const verbose = args.includes('--verbose');
  try {
    return await runCli(args.filter((arg) => arg !== '--verbose'), {
      cwd: process.cwd(),
      reporter,
      readStdin,
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  } catch (error) {
    if (error instanceof PetsageError) {
      reporter.error(error.message, error.details);
      return error.exitCode;
    }
    const detail = verbose ? ((error as Error).stack ?? String(error)) : `${(error as Error).message ?? error} (pass --verbose for the stack trace)`;
    reporter.error(`internal error: ${detail}`);
    return ExitCode.internal;
  }
}
