import { invalidInput } from '../errors.js';
import type { StagedTree } from '../commit/tree.js';
import type { Feature } from '../payload/payload.js';
import type { Resource } from '../payload/resource.js';
import type { Plan } from '../plan/plan.js';
import type { ParentLookup } from '../plan/resource-parents.js';
import type { ValidRecord } from '../record/record.js';
import { tableBlock } from '../record/table-state.js';
import { alterRevisionId, hasChanges, renderAlterRevision, tableChange, type TableChange } from './alter.js';
import { chainAfter, findHeads } from './history.js';
import { readRevisions } from './read.js';
import type { RevisionFile } from './revision-file.js';
import type { CodeStyle } from '../python/code-style.js';

interface Regenerated {
  feature: Feature;
  plan: Plan;
  previous: ValidRecord | undefined;
}

/** What a resource's record keeps of its migrations after the run: its `table` block, and `created` once altered. */
export interface RecordedTables {
  table: unknown;
  created?: unknown;
}

/** A resource's tables after the run, and the table its create revision made once altered: its refs' parents stay in the record, so `check` can render that revision. */
export interface StagedTables {
  recorded: RecordedTables;
  createdTable?: Resource;
  /** The columns the run's alter revision drops, with their data, and that revision's file: said after the run. */
  drops?: { revision: string; columns: string[] };
}

/**
 * For each resource generated before whose payload changes its table: a new Alembic revision
 * that adds, alters and drops the columns, chained after the history's head (after the create
 * revisions this batch adds, in the order of the batch). An old revision is never edited. A
 * change that cannot be migrated safely is refused (exit 2, each with its payload path) before
 * anything is written. Gives what each resource's record keeps of its tables. `parents` finds
 * the resources refs name, recorded or in the batch.
 */
export function stageAlterRevisions(tree: StagedTree, versionsDir: string, resources: readonly Regenerated[], style: CodeStyle, parents: ParentLookup): Map<string, StagedTables> {
  const recorded = new Map<string, StagedTables>();
  const changes: { item: Regenerated; change: TableChange }[] = [];
  for (const item of resources) {
    const { feature, previous } = item;
    const table = feature.payload.resource;
    if (!previous?.table) {
      recorded.set(feature.names.snake, { recorded: { table } });
      continue;
    }
    const change = tableChange(previous.table, feature.resource!, parents);
    const created = previous.record.resource?.created ?? (hasChanges(change) ? tableBlock(previous.record) : undefined);
    const createdTable = previous.created ?? (hasChanges(change) ? previous.table : undefined);
    recorded.set(feature.names.snake, { recorded: { table, ...(created !== undefined && { created }) }, ...(createdTable && { createdTable }) });
    if (change.unsupported.length > 0 || hasChanges(change)) changes.push({ item, change });
  }
  const refused = changes.flatMap(({ item, change }) => change.unsupported.map((problem) => ({ ...problem, path: `${item.feature.names.snake}: ${problem.path}` })));
  if (refused.length > 0) {
    throw invalidInput("the payload changes a resource's table in a way petsage-build cannot migrate safely; nothing was written.", {
      problems: refused,
      hints: ['Keep those fields as they were, and change the table by hand: the model, and a revision of your own (`alembic revision --autogenerate`).'],
    });
  }
  if (changes.length === 0) return recorded;

  const history = readRevisions(tree.root, versionsDir);
  const heads = findHeads([...history, ...createdThisRun(resources, new Set(history.map((revision) => revision.revision)))]);
  const head = heads.length === 1 ? heads[0]!.revision : undefined;
  const ids = changes.map(({ item }) => alterRevisionId(item.feature.names.snake, item.previous!.table!, item.feature.resource!, head));
  chainAfter(heads, ids).forEach(({ revision, downRevision }, i) => {
    const { item, change } = changes[i]!;
    const text = renderAlterRevision({ feature: item.feature.names.snake, after: item.feature.resource!, change, revision, downRevision, style, parents });
    const file = `${versionsDir}/${revision}_alter_${item.feature.resource!.names.table}.py`;
    tree.write(file, text, { overwrite: false, owner: 'foreign' });
    const staged = recorded.get(item.feature.names.snake)!;
    if (change.dropped.length > 0) staged.drops = { revision: file, columns: change.dropped.map((field) => field.name) };
  });
  return recorded;
}

/** The create revisions this run adds, as the history will hold them once written. */
function createdThisRun(resources: readonly Regenerated[], known: ReadonlySet<string>): RevisionFile[] {
  return resources
    .filter(({ plan }) => !known.has(plan.migration!.revision))
    .map(({ plan }) => ({ file: plan.migration!.path, revision: plan.migration!.revision, downRevisions: plan.context.r!.migration.downRevision ? [plan.context.r!.migration.downRevision] : [] }));
}
