import { readdirSync } from 'node:fs';
import path from 'node:path';
import { conflict, invalidInput } from '../errors.js';
import type { Reporter } from '../output/reporter.js';
import { FEATURE_PATTERN } from '../payload/payload.js';
import { removeRegistration, type RegisteredEdit } from '../python/registration.js';
import { analyse } from '../python/aggregator.js';
import type { AddedText } from '../python/edits.js';
import { mentionsOfModule, moduleNames } from '../python/unregister.js';
import { backendRecordNames, readRecord, readRecords, recordedFeaturesHint, recordedFileOnDisk, recordPath, type ValidRecord } from '../record/record.js';
import { fileReport, type FeatureReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { runTransaction } from '../commit/transaction.js';
import type { Change, StagedTree } from '../commit/tree.js';
import { counted } from '../data.js';
import type { Blueprint, ResourceLayout } from '../blueprint/presets.js';
import type { Feature } from '../payload/payload.js';
import { referringResources } from '../payload/resource.js';
import { listed } from '../payload/text.js';
import { modelsRegistry, registryEntry } from '../plan/db-layer.js';
import type { Plan } from '../plan/plan.js';
import { removeFromRegistry } from '../python/registry.js';
import { LINE_LENGTH } from '../python/format.js';
import { readRevisions } from '../migrations/read.js';
import { revisionsAfter } from '../migrations/history.js';

export interface RemoveOptions {
  cwd: string;
  target: string;
  force: boolean;
  /** Print what would be deleted and changed, with a diff of each change; write nothing. */
  dryRun?: boolean;
  wait: number;
  reporter: Reporter;
}

/**
 * Stages the removal: what is deleted comes from a fresh plan of the recorded payload, and what
 * is cut from the aggregator must be this feature's registration, recognised structurally.
 * Gives the aggregator's path and, for a resource, its migration's.
 */
function stageRemoval(root: string, feature: string, tree: StagedTree, options: RemoveOptions): { aggregatorFile: string; migration?: string; kept?: string[] } {
  const valid = readRecord(root, feature);
  if (!valid) {
    const known = backendRecordNames(root);
    throw invalidInput(`no feature of that name is recorded in ${recordPath(feature)}.`, {
      path: feature,
      hints: [recordedFeaturesHint(known, [feature])],
    });
  }
  const { record, plan } = valid;
  const layout = valid.feature.resource ? record.blueprint.resource : undefined;
  // Only a resource shares files (petsage_db.py beside the backend's own layer) and has children.
  const others = layout ? [...readRecords(root).values()].filter((other) => other.feature.names.snake !== feature) : [];
  if (layout) assertRemovableResource(root, valid.feature, plan, layout, others);
  const recorded = new Map(record.files.map((file) => [file.path, file.sha256]));
  const { file: aggregatorFile, routerVar, added } = record.aggregator;
  const edit = { ...plan.aggregator, routerVar };
  const aggregator = tree.read(aggregatorFile);
  const own = added.length === 0 && aggregator !== undefined ? ownRegistration(aggregator, edit, plan) : undefined;
  // A file another recorded feature generates too stays for it (the last one takes it out), and
  // so does what the user's own registration imports.
  const shared = new Set([...others.flatMap((other) => other.plan.files.map((file) => file.path)), ...(own?.kept ?? [])]);
  const files = plan.files.filter((file) => !shared.has(file.path)).map((file) => ({ path: file.path, sha256: recorded.get(file.path) }));
  const edited = files.filter((file) => ['edited', 'conflicted'].includes(recordedFileOnDisk(root, file).state));
  if (edited.length > 0 && !options.force) {
    throw conflict(`${counted(edited.length, 'file')} ${edited.length === 1 ? 'was' : 'were'} edited since generated; nothing was removed.`, {
      path: feature,
      problems: edited.map((file) => ({ path: file.path, message: 'edited' })),
      hints: ['Keep your changes elsewhere, or pass --force to remove them anyway.'],
    });
  }
  for (const file of files) tree.remove(file.path);
  // The user's own registration keeps the model it reaches, so its table stays registered too.
  if (layout && !own) unregisterModel(tree, valid.feature, record.blueprint, layout);
  if (aggregator !== undefined && added.length > 0) tree.write(aggregatorFile, unregistered(aggregator, added, edit, feature), { overwrite: true });
  tree.remove(recordPath(feature));
  return { aggregatorFile, ...(plan.migration && { migration: plan.migration.path }), ...(own && { kept: own.kept }) };
}

/**
 * The aggregator without the feature's registration the patch added, found as added or by its
 * structure however the project's formatter laid it out. What cannot be taken out cleanly stops
 * the removal before anything is deleted (exit 3), --force or not: it never leaves an import of
 * a module it deletes.
 */
function unregistered(aggregator: string, added: readonly AddedText[], edit: RegisteredEdit, feature: string): string {
  const removal = removeRegistration(aggregator, added, edit);
  if (removal.ok) return removal.text;
  if (removal.reason === 'foreign') {
    throw conflict(`what it says was added to ${edit.file} is not this feature's registration; nothing was removed.`, {
      path: recordPath(feature),
      problems: removal.problems,
      hints: ['Restore the record from version control, or take the registration out by hand.'],
    });
  }
  throw conflict(`cannot take the registration of ${feature} out cleanly; nothing was removed.`, {
    path: edit.file,
    problems: removal.problems,
    hints: [`Take its import and include out by hand (the app must not import ${edit.routerModule} once it is gone), then run remove again.`],
  });
}

/**
 * A registration that was there before the feature was generated (nothing recorded as added) and
 * still is: the user's. It stays, and so do the modules it imports, in turn the feature's Python
 * modules (its router reaches its service and schemas, a resource's its model, whose migration
 * keeps its table): the app keeps importing. The test and the README go.
 */
function ownRegistration(aggregator: string, edit: RegisteredEdit, plan: Plan): { kept: string[] } | undefined {
  if (mentionsOfModule(aggregator, edit, moduleNames(analyse(aggregator, edit), edit)).length === 0) return undefined;
  return { kept: plan.files.map((file) => file.path).filter((file) => file.endsWith('.py') && file !== plan.context.paths.test) };
}

/**
 * What stands in the way of removing a resource feature, refused before anything is staged
 * (exit 3): another recorded resource whose ref names it (its foreign key points at the
 * table), or a revision that follows its migration (taking the migration out would break the
 * history; the table has to be dropped by a migration of its own instead).
 */
function assertRemovableResource(root: string, feature: Feature, plan: Plan, layout: ResourceLayout, others: readonly ValidRecord[]): void {
  const name = feature.names.snake;
  const recorded = others.map((other) => ({ feature: other.feature.names.snake, resource: other.feature.resource }));
  const children = referringResources(name, recorded);
  if (children.length > 0) {
    throw conflict(`${listed(children.map((child) => child.feature))} ${children.length === 1 ? 'refers' : 'refer'} to it; nothing was removed.`, {
      path: name,
      problems: children.map((child) => ({ path: recordPath(child.feature), message: `${child.fields.join(', ')} ${child.fields.length === 1 ? 'is a ref' : 'are refs'} to ${name}` })),
      hints: [
        `Remove ${listed(children.map((child) => child.feature))} first (\`petsage-build remove ${children[0]!.feature}\`), or keep ${name}.`,
        `Where a migration already follows either one, remove cannot take it back: write a migration that drops the table, then delete the feature by hand and \`petsage-build forget\` it.`,
      ],
    });
  }
  const migration = plan.migration!;
  const history = readRevisions(root, `${layout.migrations}/versions`);
  // The id the file holds now counts too, should it have been edited.
  const ids = [migration.revision, ...history.filter((revision) => revision.file === migration.path).map((revision) => revision.revision)];
  const later = revisionsAfter(history.filter((revision) => revision.file !== migration.path), ids);
  if (later.length > 0) {
    const table = feature.resource!.names.table;
    throw conflict(`${counted(later.length, 'revision')} ${later.length === 1 ? 'follows' : 'follow'} its migration ${migration.revision} (${migration.path}) directly, so taking it out would break the history; nothing was removed.`, {
      path: name,
      problems: later.map((revision) => ({ path: revision.file, message: `${revision.revision} follows ${migration.revision}` })),
      hints: [
        `Write a migration that drops the table instead (\`alembic revision -m "drop ${table}"\`): databases upgraded past ${migration.revision} hold it already.`,
        `Then delete the feature's files and its registration by hand, and stop tracking it with \`petsage-build forget ${name}\`.`,
      ],
    });
  }
}

/** Takes the model's import and `__all__` name out of the models registry, when they are still there. */
function unregisterModel(tree: StagedTree, feature: Feature, blueprint: Blueprint, layout: ResourceLayout): void {
  const registry = modelsRegistry({ ...blueprint, resource: layout }, (file) => tree.read(file));
  if (registry === undefined) return;
  const text = removeFromRegistry(registry.source, registryEntry(feature, blueprint, layout), blueprint.lineLength ?? LINE_LENGTH);
  if (text !== registry.source) tree.write(registry.file, text, { overwrite: true });
}

/**
 * The feature's own folders (named for it) that the removal emptied of its files but that still
 * hold others, with those names: said, so the folder left behind is no surprise. Shared folders
 * (tests/, a migrations folder) are not the feature's, and are not looked into.
 */
function foldersKept(root: string, feature: string, changes: readonly Change[]): { folder: string; names: string[] }[] {
  const folders = new Set(changes.filter((change) => change.action === 'removed').map((change) => path.posix.dirname(change.path)));
  return [...folders]
    .filter((folder) => folder.split('/').includes(feature))
    .flatMap((folder) => {
      try {
        const names = readdirSync(path.join(root, folder)).sort();
        return names.length > 0 ? [{ folder, names }] : [];
      } catch {
        // Gone with its last file.
        return [];
      }
    });
}

/**
 * Deletes a feature's generated files, its record and its registration, all-or-nothing like a
 * generate. What is deleted comes from a fresh plan of the recorded payload, and what is cut
 * from the aggregator must be this feature's registration, recognised structurally: the record
 * is evidence (hashes, what was added), never a list of things to delete. A resource feature
 * also takes its migration and its model's registry lines back out; petsage-build's database
 * layer stays, but petsage_db.py beside the backend's own goes with the last resource.
 * The aggregator gets back the bytes it had before the feature was added when nothing else changed. A file edited
 * since it was generated stops the removal (exit 3) unless --force.
 */
export async function runRemove(feature: string, options: RemoveOptions): Promise<{ target: string; dryRun?: true; features: FeatureReport[] }> {
  if (!FEATURE_PATTERN.test(feature)) {
    throw invalidInput(`${JSON.stringify(feature)} is not a feature name (snake_case, as in the payload's "feature").`, { path: 'feature' });
  }
  const root = resolveTarget(options.cwd, options.target);
  let staged: ReturnType<typeof stageRemoval> | undefined;
  const stage = (tree: StagedTree) => {
    staged = stageRemoval(root, feature, tree, options);
  };
  const dryRun = options.dryRun === true;
  const changes = await runTransaction({ root, wait: options.wait, dryRun, reporter: options.reporter, stage });

  if (!dryRun) {
    options.reporter.info(`Removed feature ${feature}:`);
    options.reporter.changes(changes);
    for (const { folder, names } of foldersKept(root, feature, changes)) {
      const shown = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      options.reporter.info(`Kept ${folder}/: it holds ${names.length === 1 ? 'a file' : 'files'} petsage-build did not generate (${shown}).`);
    }
  }
  // The tool never sees a database: one upgraded to the removed revision can no longer find it.
  const migration = changes.find((change) => change.action === 'removed' && change.path === staged?.migration);
  if (migration) {
    options.reporter.warn(
      dryRun
        ? `${migration.path} would go: a database already upgraded to it would then fail with Alembic's "Can't locate revision". Run \`alembic downgrade -1\` on such a database first.`
        : `${migration.path} is gone: a database already upgraded to it now fails with Alembic's "Can't locate revision". Put the file back from version control and run \`alembic downgrade -1\` on such a database first.`,
    );
  }
  if (staged?.kept) {
    options.reporter.warn(
      `${staged.aggregatorFile}: the registration of ${feature} was there before the feature was generated, so it is yours: kept, and so are the modules it imports (${staged.kept.join(', ')}). Take it out by hand, then those files.`,
    );
  }
  // Like a generate's report: the feature's own files, and the aggregator apart. Other features'
  // records are never touched: their offsets into the aggregator are where to look first, and a
  // piece that moved is found where it went (see locatePiece).
  const aggregator = changes.find((change) => change.path === staged?.aggregatorFile);
  const files = changes.filter((change) => change !== aggregator).map(fileReport);
  return { target: root, ...(dryRun && { dryRun: true }), features: [{ feature, files, ...(aggregator && { aggregator: fileReport(aggregator) }) }] };
}
