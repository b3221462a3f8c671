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

/** One problem of an error: where it is (a payload field, a config key, a record entry) and what. */
export interface Problem {
  path?: string;
  message: string;
}

/** The parts of an error beyond its message, kept apart so the JSON report needs no parsing. */
export interface ErrorParts {
  /** What the error is about: a file, a payload field, an option (`--target`). */
  path?: string;
  /** Every problem found, each with its own path. */
  problems?: readonly Problem[];
  /** Lines of the file around the problem, shown to a person only. */
  context?: readonly string[];
  /** What to do about it. */
  hints?: readonly string[];
}

/**
 * An expected failure: its message is for the user and its exit code follows the README.
 * Anything that is not a PetsageError reaching the boundary in index.ts is a bug (exit 1).
 * `message` is the human line (`path: text`); the parts stay structured for the JSON report.
 */
export class PetsageError extends Error {
  readonly path: string | undefined;
  /** The message without its path. */
  readonly text: string;
  readonly problems: readonly Problem[];
  readonly context: readonly string[];
  readonly hints: readonly string[];

  constructor(
    text: string,
    readonly exitCode: ExitCodeValue,
    parts: ErrorParts = {},
  ) {
    super(parts.path === undefined ? text : `${parts.path}: ${text}`);
    this.name = 'PetsageError';
    this.path = parts.path;
    this.text = text;
    this.problems = parts.problems ?? [];
    this.context = parts.context ?? [];
    this.hints = parts.hints ?? [];
  }

  /** The lines a person reads under the message: each problem, the file's region, the hints. */
  get details(): string[] {
    return [...this.problems.map(problemLine), ...this.context, ...this.hints];
  }

  /** What the command had found when it failed (the files in conflict), for the JSON report. */
  result?: { target?: string; features?: unknown[]; [extra: string]: unknown };
}

export const problemLine = (problem: Problem) => (problem.path === undefined ? problem.message : `${problem.path}: ${problem.message}`);

/** Hints alone may be given as a list of lines. */
const partsOf = (parts: ErrorParts | readonly string[] = {}): ErrorParts => (Array.isArray(parts) ? { hints: parts } : (parts as ErrorParts));

export const invalidInput = (text: string, parts?: ErrorParts | readonly string[]) => new PetsageError(text, ExitCode.invalidInput, partsOf(parts));

export const conflict = (text: string, parts?: ErrorParts | readonly string[]) => new PetsageError(text, ExitCode.conflict, partsOf(parts));

export const ioFailure = (text: string, parts?: ErrorParts | readonly string[]) => new PetsageError(text, ExitCode.io, partsOf(parts));

/** `check` found drift, or `--verify` failed: exit 5. */
export const drift = (text: string, parts?: ErrorParts | readonly string[]) => new PetsageError(text, ExitCode.drift, partsOf(parts));

/** The machine-readable name of an exit code, for the JSON report. */
export const EXIT_CODE_NAMES: Record<ExitCodeValue, string> = {
  0: 'ok',
  1: 'internal',
  2: 'invalid_input',
  3: 'conflict',
  4: 'io_failure',
  5: 'drift',
};
