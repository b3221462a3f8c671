import { readStdin, runCli, type CliOutcome } from './cli.js';
import { EXIT_CODE_NAMES, ExitCode, PetsageError, type ExitCodeValue } from './errors.js';
import { PLAIN, terminalPalette, wantsColor } from './output/color.js';
import { Reporter } from './output/reporter.js';
import { GENERATOR } from './record/record.js';
import { skippedInReport, type FileReport } from './record/report.js';
import { resolvedTarget } from './target.js';
import { catchSignalsUntilExit } from './commit/interruption.js';
import { stderr, stdout, type TextSink } from './output/std-streams.js';

export { outputPending } from './output/std-streams.js';

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
 * Output goes out through src/output/std-streams.ts, which ends a closed pipe quietly. Only a
 * descriptor left non-blocking hands it to Node's streams, whose EPIPE arrives as an uncaught
 * error: caught process-wide, as a listener on the streams would create them on every run.
 * Anything else uncaught is a bug: printed, exit 1.
 */
function toleratePipeClosed(): void {
  process.on('uncaughtException', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return;
    stderr.write(`internal error: ${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
}

/**
 * The single error boundary: a PetsageError becomes its message and exit code; anything
 * else is a bug, reported as an internal error (exit 1). Nothing else ends the process.
 * With --json, stdout gets one report whatever happened.
 */
/** Where a run writes: the process's stdout and stderr, unless the build's training runs say otherwise. */
interface Output {
  out: TextSink;
  err: TextSink;
}

export async function main(args: readonly string[], { out, err }: Output = { out: stdout, err: stderr }): Promise<number> {
  toleratePipeClosed();
  catchSignalsUntilExit();
  // Output options are read before commander, so that even a usage error honours them.
  const json = args.includes('--json');
  const color = !args.includes('--no-color');
  const options = { json, quiet: args.includes('--quiet') || args.includes('-q'), color };
  const colored = (stream: TextSink) => color && wantsColor(stream);
  const [humanColored, errColored] = [colored(json ? err : out), colored(err)];
  const terminal = humanColored || errColored ? await terminalPalette() : PLAIN;
  const reporter = new Reporter(out, err, options, { human: humanColored ? terminal : PLAIN, err: errColored ? terminal : PLAIN });
  let outcome: CliOutcome = { exitCode: ExitCode.ok, command: undefined, result: {} };
  let errors: ReportedError[] = [];
  try {
    outcome = await runCli(args, {
      cwd: process.cwd(),
      reporter,
      readStdin,
      writeOut: (text) => (json ? err : out).write(text),
      writeErr: (text) => err.write(text),
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
