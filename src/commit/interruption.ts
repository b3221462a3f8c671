import { ioFailure } from '../errors.js';

/** The signals that interrupt a run; what it wrote is rolled back rather than left half done. */
export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Catches SIGINT, SIGTERM and SIGHUP for the length of a transaction, so that no signal ends
 * the process between two writes: each step asks whether one arrived (`check`), and a step
 * that waits on another process (`--verify`) is cancelled through `abort`.
 */
export class Interruption {
  private signal: string | undefined;
  private readonly controller = new AbortController();
  private readonly onSignal = (signal: string) => {
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
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
  }
}
