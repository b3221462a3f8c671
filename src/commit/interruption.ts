import { ioFailure } from '../errors.js';

/** The signals that interrupt a run; what it wrote is rolled back rather than left half done. */
export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Set by the CLI, which owns its process: see catchSignalsUntilExit. */
let untilExit = false;

/**
 * In the CLI's own process, a transaction's handlers stay once it is over, and let signals pass
 * unheeded: a signal between the end of the commit and the exit would otherwise end the process
 * by default (exit 143) after the run had kept its changes and reported exit 0. Not in process
 * (tests, embedders): there the handlers go with the transaction.
 */
export function catchSignalsUntilExit(): void {
  untilExit = true;
}

/**
 * Catches SIGINT, SIGTERM and SIGHUP for the length of a transaction, so that no signal ends
 * the process between two writes: each step asks whether one arrived (`check`), and a step
 * that waits on another process (`--verify`) is cancelled through `abort`. Before a transaction,
 * a signal ends the run as it ends any program: nothing has been written yet.
 */
export class Interruption {
  private signal: string | undefined;
  private over = false;
  private readonly controller = new AbortController();
  private readonly onSignal = (signal: string) => {
    if (this.over) return;
    this.signal ??= signal;
    this.controller.abort();
  };

  constructor() {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  /** Fired when a signal arrives, to cancel child processes. */
  get abort(): AbortSignal {
    return this.controller.signal;
  }

  get interrupted(): boolean {
    return this.signal !== undefined;
  }

  /** The error a run ends with once interrupted (exit 4), saying what became of the target. */
  error(what: string): Error {
    return ioFailure(`interrupted by ${this.signal}; ${what}`);
  }

  /** Throws when a signal arrived; `what` says the state the target is left in. */
  check(what = 'nothing was written.'): void {
    if (this.signal !== undefined) throw this.error(what);
  }

  dispose(): void {
    this.over = true;
    if (!untilExit) for (const signal of SIGNALS) process.off(signal, this.onSignal);
  }
}
