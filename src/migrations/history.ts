import path from 'node:path';
import { sha256 } from '../data.js';
import { conflict } from '../errors.js';
import type { RevisionFile } from './revision-file.js';

/** A new revision and the one it follows (undefined: the first revision of the history). */
export interface ChainedRevision {
  revision: string;
  downRevision: string | undefined;
}

/**
 * The id petsage-build gave a create revision before it derived ids from the table created
 * (see createRevisionId): records of such features name it, and keep it.
 */
export const legacyCreateRevisionId = (feature: string, table: string) => sha256(`${feature}:create_${table}`).slice(0, 12);

const named = (revision: RevisionFile) => `${revision.revision} (${revision.file})`;

/**
 * The revisions nothing follows, in the order given. The history must be one Alembic can
 * load: each id defined once, every parent defined, no cycle; otherwise exit 3 naming files.
 */
export function findHeads(revisions: readonly RevisionFile[]): RevisionFile[] {
  const byId = new Map<string, RevisionFile>();
  for (const revision of revisions) {
    const earlier = byId.get(revision.revision);
    if (earlier) {
      throw conflict(`the revision ${revision.revision} is defined twice, in ${earlier.file} and ${revision.file}; nothing was changed.`, {
        path: revision.file,
        hints: ['Alembic refuses such a history too: give one of them a new id (and update the down_revision that pointed to it), then run again.'],
      });
    }
    byId.set(revision.revision, revision);
  }
  for (const revision of revisions) {
    const unknown = revision.downRevisions.find((parent) => !byId.has(parent));
    if (unknown !== undefined) {
      throw conflict(`its down_revision names ${unknown}, which no revision file defines; nothing was changed.`, {
        path: revision.file,
        hints: [`Restore the revision ${unknown} to ${path.posix.dirname(revision.file)}, or point down_revision at the revision it follows, then run again.`],
      });
    }
  }
  assertNoCycle(revisions, byId);
  const followed = new Set(revisions.flatMap((revision) => revision.downRevisions));
  return revisions.filter((revision) => !followed.has(revision.revision));
}

/**
 * Places revisions from the first (those that follow nothing) on; what cannot be placed lies on
 * or after a cycle, and walking parents among those finds the cycle itself. Iterative, so a
 * history of thousands of revisions cannot overflow the stack.
 */
function assertNoCycle(revisions: readonly RevisionFile[], byId: ReadonlyMap<string, RevisionFile>): void {
  const parentsOf = (revision: RevisionFile) => [...new Set(revision.downRevisions)];
  const waiting = new Map(revisions.map((revision) => [revision.revision, parentsOf(revision).length]));
  const children = new Map<string, RevisionFile[]>();
  for (const revision of revisions) {
    for (const parent of parentsOf(revision)) {
      const siblings = children.get(parent);
      if (siblings) siblings.push(revision);
      else children.set(parent, [revision]);
    }
  }
  const ready = revisions.filter((revision) => waiting.get(revision.revision) === 0);
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    waiting.delete(next.revision);
    for (const child of children.get(next.revision) ?? []) {
      const left = waiting.get(child.revision)! - 1;
      waiting.set(child.revision, left);
      if (left === 0) ready.push(child);
    }
  }
  const stuck = revisions.find((revision) => waiting.has(revision.revision));
  if (stuck === undefined) return;
  // Every revision left has a parent left: following them must come back to one already seen.
  const walked: RevisionFile[] = [];
  let current = stuck;
  while (!walked.includes(current)) {
    walked.push(current);
    current = byId.get(parentsOf(current).find((parent) => waiting.has(parent))!)!;
  }
  const cycle = walked.slice(walked.indexOf(current));
  throw conflict(`the revisions follow each other in a circle: ${[...cycle, current].map((revision) => revision.revision).join(' -> ')}; nothing was changed.`, {
    path: current.file,
    problems: cycle.map((revision) => ({ path: revision.file, message: `${revision.revision} follows ${revision.downRevisions.join(', ')}` })),
    hints: ['Alembic cannot order such a history either: fix the down_revision that closes the circle, then run again.'],
  });
}

/**
 * The new revisions, each with the one it follows: the first after the history's only head (or
 * nothing, for an empty history), each next after the one before it, in the order given.
 * Several heads are refused (exit 3): a revision after one of them would leave the others out.
 */
export function chainAfter(heads: readonly RevisionFile[], newRevisions: readonly string[]): ChainedRevision[] {
  if (heads.length > 1) {
    const folder = path.posix.dirname(heads[0]!.file);
    throw conflict(`the migrations have ${heads.length} heads, ${heads.map(named).join(', ')}; a new revision can follow only one of them, so nothing was changed.`, {
      path: folder,
      hints: ['Merge them first with `alembic merge heads -m "merge heads"`, then run again.'],
    });
  }
  // The caller leaves out revisions the history already has: one chained after itself would be a circle.
  const repeated = newRevisions.find((revision, i) => newRevisions.indexOf(revision) !== i || heads.some((head) => head.revision === revision));
  if (repeated !== undefined) throw new Error(`chainAfter: the revision ${repeated} is already in the history or the batch`);
  return newRevisions.map((revision, i) => ({ revision, downRevision: i === 0 ? heads[0]?.revision : newRevisions[i - 1] }));
}

/**
 * The revisions that follow one of `ids` (name it as down_revision), in the order given: a
 * revision they follow cannot go without breaking the history.
 */
export function revisionsAfter(revisions: readonly RevisionFile[], ids: readonly string[]): RevisionFile[] {
  return revisions.filter((revision) => revision.downRevisions.some((parent) => ids.includes(parent)));
}
