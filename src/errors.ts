/** Exit codes, as documented in the README's table. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  invalidInput: 2,
  conflict: 3,
  io: 4,
  drift: 5,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An expected failure: its message is for the user and its exit code follows the README.
 * Anything that is not a PetsageError reaching the boundary in index.ts is a bug (exit 1).
 */
export class PetsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** One line per problem, already in `path: message` form. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'PetsageError';
  }

  /** What the command had found when it failed (the files in conflict), for the JSON report. */
  result?: { target?: string; features?: unknown[]; [extra: string]: unknown };
}

export const invalidInput = (message: string, details: readonly string[] = []) =>
  new PetsageError(message, ExitCode.invalidInput, details);

export const conflict = (message: string, details: readonly string[] = []) =>
  new PetsageError(message, ExitCode.conflict, details);

export const ioFailure = (message: string, details: readonly string[] = []) =>
  new PetsageError(message, ExitCode.io, details);

/** `check` found drift, or `--verify` failed: exit 5. */
export const drift = (message: string, details: readonly string[] = []) => new PetsageError(message, ExitCode.drift, details);

/** The machine-readable name of an exit code, for the JSON report. */
export const EXIT_CODE_NAMES: Record<ExitCodeValue, string> = {
  0: 'ok',
  1: 'internal',
  2: 'invalid_input',
  3: 'conflict',
  4: 'io_failure',
  5: 'drift',
};
