import { readStdin, runCli, type CliOutcome } from './cli.js';
import { EXIT_CODE_NAMES, ExitCode, PetsageError, type ExitCodeValue } from './errors.js';
import { Reporter } from './output/reporter.js';
import { GENERATOR } from './record/record.js';
import { skippedInReport, type FileReport } from './record/report.js';
import { resolvedTarget } from './target.js';
import { catchSignalsUntilExit } from './commit/interruption.js';

interface ReportedError {
  code: string;
  path?: string;
  message: string;
  hint?: string;
}

/** The error, then each of its problems, as the parts it was built from: nothing is parsed. */
function reportedErrors(error: PetsageError): ReportedError[] {
  const code = EXIT_CODE_NAMES[error.exitCode];
  const hint = error.hints.length > 0 ? error.hints.join(' ') : undefined;
  return [
    { code, ...(error.path !== undefined && { path: error.path }), message: error.text, ...(hint !== undefined && { hint }) },
    ...error.problems.map((problem) => ({ code, ...(problem.path !== undefined && { path: problem.path }), message: problem.message })),
  ];
}

/**
 * The single error boundary: a PetsageError becomes its message and exit code; anything
 * else is a bug, reported as an internal error (exit 1). Nothing else ends the process.
 * With --json, stdout gets one report whatever happened.
 */
/**
 * A reader that stops early (`list | head -1`) closes the pipe: the run goes on quietly and ends
 * with its own exit code, instead of crashing on EPIPE. Caught process-wide rather than on the
 * streams, since touching process.stderr at start-up would create it (and load its pipe
 * machinery) on every run. Anything else uncaught is a bug: printed, exit 1.
 */
function toleratePipeClosed(): void {
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return;
    process.stderr.write(`internal error: ${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
}

/**
 * process.stderr, created on first use: creating it sets up its pipe, a few milliseconds that a
 * run with nothing to report should not pay.
 */
function lazyStream(get: () => NodeJS.WriteStream): NodeJS.WritableStream & { isTTY?: boolean } {
  return {
    write: (text: string) => get().write(text),
    get isTTY() {
      return get().isTTY;
    },
  } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
}

export async function main(args: readonly string[]): Promise<number> {
  toleratePipeClosed();
  catchSignalsUntilExit();
  // Output options are read before commander, so that even a usage error honours them.
  const json = args.includes('--json');
  const reporter = new Reporter(process.stdout, lazyStream(() => process.stderr), { json, quiet: args.includes('--quiet') || args.includes('-q'), color: !args.includes('--no-color') });
  let outcome: CliOutcome = { exitCode: ExitCode.ok, command: undefined, result: {} };
  let errors: ReportedError[] = [];
  try {
    outcome = await runCli(args, {
      cwd: process.cwd(),
      reporter,
      readStdin,
      writeOut: (text) => (json ? process.stderr : process.stdout).write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  } catch (error) {
    const { command, requestedTarget } = error as { command?: string; requestedTarget?: string };
    let exitCode: ExitCodeValue;
    if (error instanceof PetsageError) {
      reporter.error(error.message, error.details);
      exitCode = error.exitCode;
      errors = reportedErrors(error);
      if (error.result) outcome = { ...outcome, result: error.result as CliOutcome['result'] };
    } else {
      const detail = args.includes('--verbose') ? ((error as Error).stack ?? String(error)) : `${(error as Error).message ?? error} (pass --verbose for the stack trace)`;
      reporter.error(`internal error: ${detail}`);
      exitCode = ExitCode.internal;
      errors = [{ code: EXIT_CODE_NAMES[exitCode], message: (error as Error).message ?? String(error) }];
    }
    outcome = { ...outcome, command, exitCode, ...(requestedTarget !== undefined && { requestedTarget }) };
  }
  if (json) {
    const { target, features, ...extra } = outcome.result;
    // A run that failed wrote nothing (every writing command is all-or-nothing): what it would
    // have written is reported as skipped.
    if (outcome.exitCode !== ExitCode.ok) skippedInReport(features ?? [], (extra.files ?? []) as FileReport[]);
    reporter.result({
      tool: GENERATOR,
      command: outcome.command ?? null,
      target: target ?? resolvedTarget() ?? outcome.requestedTarget ?? null,
      exitCode: outcome.exitCode,
      features: features ?? [],
      ...extra,
      errors: [...errors, ...(outcome.errors ?? [])],
    });
  }
  return outcome.exitCode;
}
