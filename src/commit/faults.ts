/**
 * A test seam for fault injection, read from PETSAGE_FAULT as `<step>:<n>`, e.g. `rename:2`:
 * - `write:n` / `rename:n`: the n-th temp-file write or rename of a commit fails with EIO;
 * - `kill:n`: the process kills itself with SIGKILL before the n-th rename (n = count + 1:
 *   after the last one, before the journal is cleared);
 * - `pause:n`: at the same points it says so on stderr and waits, for a signal to arrive;
 * - `pause:staged`: the same once everything is staged under the lock, before any write;
 * - `pause:finished`: once the transaction is over and its lock released, it says so and waits
 *   1.5 s without catching anything itself, for a signal to arrive as the run ends.
 * Unset in normal use, where every check is a comparison against undefined.
 */
import { SIGNALS } from './interruption.js';
import { stderr } from '../output/std-streams.js';

export type FaultStep = 'write' | 'rename';

const [step, count] = (process.env.PETSAGE_FAULT ?? '').split(':') as [string, string?];
const at = Number(count);

function injectedError(what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EIO: injected fault on ${what}`), { code: 'EIO' });
}

/** Throws the injected error when this is the chosen write or rename. */
export function failIfInjected(kind: FaultStep, n: number, what: string): void {
  if (step === kind && at === n) throw injectedError(what);
}

/** Before the n-th rename: a chosen SIGKILL or pause. */
export async function beforeRename(n: number): Promise<void> {
  if (at !== n) return;
  if (step === 'kill') process.kill(process.pid, 'SIGKILL');
  if (step === 'pause') await pause(`before rename ${n}`);
}

/** At a named point of the transaction: a chosen pause, for a signal to arrive there. */
export async function pauseAt(point: 'staged' | 'finished'): Promise<void> {
  if (step !== 'pause' || count !== point) return;
  if (point === 'staged') return pause(`at ${point}`);
  // Listening here would catch the signal that the run's own handling must meet.
  stderr.write(`petsage-build: paused at ${point}\n`);
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

/** Says so, then waits up to 3 s, or until a signal arrives, whichever is first. */
function pause(where: string): Promise<void> {
  stderr.write(`petsage-build: paused ${where}\n`);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const signal of SIGNALS) process.off(signal, done);
      resolve();
    };
    const timer = setTimeout(done, 3000);
    for (const signal of SIGNALS) process.on(signal, done);
  });
}
