import { PetsageError } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { collectGarbage, LARGE_COMMIT } from './collect-garbage.js';
import { assertWritable, type PathProbe } from './containment.js';
import { printDryRun } from './dry-run.js';
import { pauseAt } from './faults.js';
import { Interruption } from './interruption.js';
import { withTargetLock } from './lock.js';
import { assertNoConflicts, StagedTree, type Change } from './tree.js';
import { commitChanges, recoverInterruptedCommit, warnIfInterrupted } from './write.js';

/** What a command wants written: it only says what to stage; the protocol is the same for all. */
export interface TransactionSpec {
  root: string;
  /** Seconds to wait for another run's lock. */
  wait: number;
  dryRun: boolean;
  reporter: Reporter;
  /**
   * Stages the command's changes into `tree`, reading the target through it. Runs under the
   * lock, after any interrupted commit was settled, so what it reads is current.
   */
  stage: (tree: StagedTree) => void | Promise<void>;
  /**
   * Runs with every file in place and the backups kept (`--verify`); if it throws, or a signal
   * arrives (`abort` fires), everything is rolled back.
   */
  beforeFinish?: (changes: readonly Change[], abort: AbortSignal) => Promise<void>;
  /** The `update` command line that would merge edited files in the way (the hint of a refusal). */
  updateCommand?: string;
  /** The command's report of these changes: a run refused for conflicts still reports each file. */
  report?: (changes: readonly Change[]) => PetsageError['result'];
  /** The command's own refusal of what it staged (update's conflicting merges), checked first. */
  refuse?: () => void;
}

/** Refuses conflicts, the command's and the tree's, with the command's report of every file attached for --json. */
function refuseConflicts(spec: TransactionSpec, changes: readonly Change[]): void {
  try {
    spec.refuse?.();
    assertNoConflicts(changes, spec.updateCommand);
  } catch (error) {
    if (error instanceof PetsageError && spec.report) error.result = spec.report(changes);
    throw error;
  }
}

/** Stages and classifies: every write inside the target, no link on the way, no conflict. */
async function stageAll(spec: TransactionSpec): Promise<{ changes: Change[]; probe: PathProbe }> {
  const tree = new StagedTree(spec.root);
  await spec.stage(tree);
  const changes = tree.changes();
  for (const change of changes) if (change.action !== 'unchanged') assertWritable(spec.root, change.path, tree.probe);
  return { changes, probe: tree.probe };
}

/**
 * The one protocol every writing command follows: take the target's lock, settle a commit a
 * killed run left, stage, classify and refuse conflicts, commit with the journal, run the
 * `beforeFinish` hook, finish; signals are honoured at every step. A dry run stages and prints
 * without the lock and writes nothing, not even the settling of an interrupted commit.
 */
export async function runTransaction(spec: TransactionSpec): Promise<Change[]> {
  const { root, reporter } = spec;
  if (spec.dryRun) {
    warnIfInterrupted(root, reporter);
    const { changes } = await stageAll(spec);
    await printDryRun(changes, reporter);
    refuseConflicts(spec, changes);
    return changes;
  }
  const changes = await withTargetLock(root, { wait: spec.wait, warn: (message) => reporter.warn(message) }, async () => {
    const interruption = new Interruption();
    try {
      interruption.check();
      const recovered = recoverInterruptedCommit(root);
      if (recovered) reporter.info(recovered);
      const { changes, probe } = await stageAll(spec);
      refuseConflicts(spec, changes);
      if (changes.length >= LARGE_COMMIT) await collectGarbage();
      await pauseAt('staged');
      interruption.check();
      const { beforeFinish } = spec;
      await commitChanges(root, changes, { interruption, probe, ...(beforeFinish && { beforeFinish: () => beforeFinish(changes, interruption.abort) }) });
      return changes;
    } finally {
      interruption.dispose();
    }
  });
  await pauseAt('finished');
  return changes;
}
