import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveBlueprint } from '../blueprint/config.js';
import { RESOURCE_NEEDS, STATUS_NEEDS } from '../blueprint/stack.js';
import type { Blueprint } from '../blueprint/presets.js';
import { linkOnTheWay, linkRefused } from '../commit/safe-fs.js';
import { conflict, invalidInput, PetsageError } from '../errors.js';
import { inPayload, payloadPath } from '../payload/owner.js';
import { formatMarkdown } from '../render/format-markdown.js';
import type { Reporter } from '../output/reporter.js';
import { validateBatch } from '../payload/batch.js';
import { readPayloadInputs } from '../payload/input.js';
import { commandLine } from '../output/command-line.js';
import type { Feature } from '../payload/payload.js';
import { packageOf, planFeature, type FileSpec, type Plan } from '../plan/plan.js';
import { assertNoClashes } from '../plan/clashes.js';
import { clashInput } from '../plan/clash-input.js';
import { analyse, patchAggregatorMany, type AggregatorEdit, type AggregatorFile } from '../python/aggregator.js';
import type { AddedText } from '../python/edits.js';
import { registrationProblems, type RegisteredEdit } from '../python/registration.js';
import { Content, HoldingBudget } from '../commit/content.js';
import { GENERATOR, olderParentsKept, parseRecord, readRecords, recordPath, serializeRecord, type FeatureRecord, type ValidRecord } from '../record/record.js';
import { Renderer } from '../render/renderer.js';
import { describeChanges, type FeatureReport } from '../record/report.js';
import { resolveTarget } from '../target.js';
import { runTransaction } from '../commit/transaction.js';
import type { StagedTree, Change } from '../commit/tree.js';
import { verifyFeatures } from '../verify.js';
import { checkResourceNames, checkResourceRefs, type RecordedResource, type Resource } from '../payload/resource.js';
import { modelsRegistry, planDbLayer, registryEntry, registryFile } from '../plan/db-layer.js';
import { databaseRenderer, renderPlanned } from '../render/planned.js';
import type { ParentLookup } from '../plan/resource-context.js';
import { addToRegistry, importedModels, type RegistryEntry } from '../python/registry.js';
import type { RevisionFile } from '../migrations/revision-file.js';
import { readRevisions } from '../migrations/read.js';
import { chainAfter, findHeads } from '../migrations/history.js';
import { LINE_LENGTH } from '../python/format.js';
import { codeStyle } from '../python/code-style.js';
import { replaceUnedited, sortedByPath, type GeneratedWriter } from '../record/ownership.js';
import { BaseFiles, baseValue } from '../record/base.js';
import { stageAlterRevisions } from '../migrations/stage-alters.js';

export interface FeatureOptions {
  cwd: string;
  target: string;
  builtin?: string;
  preset?: string;
  force: boolean;
  dryRun: boolean;
  verify: boolean;
  /** Seconds to wait for another run's lock on the target. */
  wait: number;
  /** Standard input, read until just past `limit` bytes. */
  readStdin: (limit: number) => Promise<Buffer>;
  reporter: Reporter;
}

/** The renderer for a blueprint: the built-in feature templates under the project's overrides. */
export function rendererFor(root: string, blueprint: Blueprint): Renderer {
  // Overrides are read from inside the project only, never through a link out of it.
  const link = linkOnTheWay(root, blueprint.templates);
  if (link !== undefined) throw linkRefused(link, blueprint.templates);
  if (existsSync(path.join(root, blueprint.templates)) && !statSync(path.join(root, blueprint.templates)).isDirectory()) {
    throw invalidInput(`templates: ${blueprint.templates} is not a folder; it names where template overrides live.`, ['Point `templates` at a folder, or remove the key.']);
  }
  return new Renderer('fastapi', path.join(root, blueprint.templates), blueprint.templates);
}

interface RenderedFeature {
  feature: Feature;
  plan: Plan;
  files: { path: string; content: Content }[];
  /** The record's merge base, collected from the files as they are made (base.ts). */
  base: BaseFiles;
}

/** How many features a run lists file by file and endpoint by endpoint; a larger batch is summed up. */
const SHOWN = 20;

/**
 * How much generated output (files, then records) a run holds in memory; past it, files are made
 * again when written (see Content). A batch of 1,000 features makes about 10 MiB; one of 10,000
 * would otherwise hold 95 MiB.
 */
const HELD_BYTES = 16 * 1024 * 1024;

/** A feature's plan; what it refuses in a batch is named under its payload's index. */
function planInBatch(feature: Feature, index: number, count: number, blueprint: Blueprint, resources: Pick<ResolvedResources, 'parents' | 'createRevision'>): Plan {
  try {
    return planFeature(feature, blueprint, resources.parents, resources.createRevision(feature.names.snake));
  } catch (error) {
    throw error instanceof PetsageError ? inPayload(error, index, count) : error;
  }
}

/**
 * Renders every feature's files: pure, so it runs before the lock is taken. A feature with
 * Markdown that an override shapes is rendered once and held, as that Markdown is formatted with
 * prettier (about 5 ms a file); the rest renders as without overrides.
 */
async function renderAll(features: readonly Feature[], blueprint: Blueprint, renderer: Renderer, holding: HoldingBudget, reporter: Reporter, resources: Pick<ResolvedResources, 'parents' | 'createRevision'>): Promise<RenderedFeature[]> {
  const showProgress = features.length > 20;
  const rendered: RenderedFeature[] = [];
  for (const [i, feature] of features.entries()) {
    if (showProgress && i % 50 === 0) reporter.progress(`rendering ${i}/${features.length}`);
    const plan = planInBatch(feature, i, features.length, blueprint, resources);
    const make = (file: FileSpec) => () => renderPlanned(file, plan.context, renderer);
    let files: RenderedFeature['files'];
    const texts = new BaseFiles(plan.files.map((file) => file.path));
    const formatted = new Set(plan.files.filter((file) => file.path.endsWith('.md') && file.set !== 'db' && renderer.overrideShapes(file.template)).map((file) => file.path));
    if (formatted.size > 0) {
      const made = plan.files.map((file) => ({ path: file.path, content: make(file)() }));
      await formatMarkdown(made.filter((file) => formatted.has(file.path)), reporter);
      files = made.map((file) => ({ path: file.path, content: Content.of(file.content) }));
      for (const file of files) texts.add(file.path, file.content.data());
    } else {
      files = plan.files.map((file) => ({ path: file.path, content: holding.content(make(file), (data) => texts.add(file.path, data)) }));
    }
    rendered.push({ feature, plan, files, base: texts });
  }
  if (showProgress) reporter.progress(`rendered ${features.length} features\n`);
  return rendered;
}

/**
 * Stages every feature's files, its record and the aggregator, read from disk now: one patch
 * for the whole batch, registrations in the order of the payloads.
 */
function stageFeatures(tree: StagedTree, blueprint: Blueprint, rendered: readonly RenderedFeature[], holding: HoldingBudget, writer: GeneratedWriter, renderer: Renderer, resolved: Pick<ResolvedResources, 'parents' | 'parentPayloads'>): ColumnDrops[] {
  const aggregatorFile = blueprint.aggregator;
  const source = tree.read(aggregatorFile);
  if (source === undefined) {
    throw conflict(`the aggregator does not exist, so the feature cannot be mounted.`, { path: aggregatorFile, hints: [
      'Set `aggregator` (the file) and `router` (the variable) under [tool.petsage] in pyproject.toml.',
    ] });
  }
  const edits = rendered.map(({ plan }) => plan.aggregator);
  const aggregator = analyse(source, edits[0]!);
  assertNoClashes(clashInput(tree, aggregator, rendered.map(({ plan }) => plan)));
  // Each feature's record before the run, read once: how its files are written depends on it.
  const previousRecords = rendered.map(({ feature }) => {
    const file = recordPath(feature.names.snake);
    const previous = tree.read(file);
    return previous === undefined ? undefined : parseRecord(previous, file, feature.names.snake);
  });
  assertCreateRevisionsKept(rendered, previousRecords);
  assertResourcesKept(rendered, previousRecords);
  stageResources(tree, blueprint, rendered, renderer);
  const resources = rendered.flatMap((generated, i) => (generated.plan.migration ? [{ ...generated, previous: previousRecords[i] }] : []));
  const tables = blueprint.resource && resources.length > 0 ? stageAlterRevisions(tree, `${blueprint.resource.migrations}/versions`, resources, codeStyle(blueprint), resolved.parents) : undefined;
  const patch = patchAggregatorMany(source, edits, aggregator);

  // Analysed once for the whole batch, and only when some registration was already in place;
  // a patch that changed nothing (a re-run) is the file analysed above.
  let analysed: AggregatorFile | undefined;
  const patched = (edit: AggregatorEdit) => (analysed ??= patch.text === source ? aggregator : analyse(patch.text, edit));
  // Each feature's files, then its record, so that the commit makes the record right after them.
  rendered.forEach((generated, i) => {
    const { feature, plan, files, base } = generated;
    const recordedFiles = sortedByPath(writer(tree, generated, previousRecords[i]));
    const file = recordPath(feature.names.snake);
    const previous = previousRecords[i];
    // A registration found already in place keeps what the record says was added for it, once
    // that is shown to be this feature's registration and nothing else.
    const edit = { ...plan.aggregator, routerVar: patch.routerVar };
    const added = patch.features[i]!.changed || previous === undefined ? patch.features[i]!.added : recordedRegistration(patched(edit), previous, edit);
    const staged = tables?.get(feature.names.snake);
    const resource = plan.migration && { downRevision: plan.context.r!.migration.downRevision || null, parents: resolved.parentPayloads(feature, staged?.createdTable), ...staged?.recorded };
    // Made when written, right after the feature's own files (staged just before it): the files'
    // hashes and the base are taken from the files as the commit made them, each rendered once.
    const record = (): FeatureRecord => ({
      generator: GENERATOR,
      payload: feature.payload,
      blueprint: recordedBlueprint(blueprint, feature),
      files: recordedFiles,
      aggregator: { file: aggregatorFile, routerVar: patch.routerVar, added },
      ...(resource && { resource }),
      base: baseValue(base.pack((path) => files.find((generated) => generated.path === path)?.content.data())),
    });
    tree.write(file, holding.content(() => serializeRecord(record())), { overwrite: true });
  });
  // Staged even when unchanged, so the report lists the aggregator either way.
  tree.write(aggregatorFile, patch.text, { overwrite: true });
  return [...(tables ?? [])].flatMap(([feature, staged]) => (staged.drops ? [{ feature, ...staged.drops }] : []));
}

/** Columns a run's alter revision drops: their data goes when a database is upgraded to it. */
interface ColumnDrops {
  feature: string;
  revision: string;
  columns: string[];
}

/** Said once the run went through (or would, for --dry-run): the one change of a table that loses data. */
function warnOfDrops(drops: readonly ColumnDrops[], dryRun: boolean, reporter: Reporter): void {
  for (const { feature, revision, columns } of drops) {
    const what = columns.length === 1 ? `column ${columns[0]}` : `columns ${columns.join(', ')}`;
    reporter.warn(`${feature}: ${revision} ${dryRun ? 'would drop' : 'drops'} ${what}, and the data in ${columns.length === 1 ? 'it' : 'them'}, when a database is upgraded to it (its downgrade() adds ${columns.length === 1 ? 'it' : 'them'} back empty).`);
  }
}

/**
 * What resource features add beyond their own files: the database layer where the backend
 * lacks it (an existing file is never overwritten; none with the backend's own layer), each
 * model in the models registry, and each migration, chained after the history's head in the
 * order of the batch. A migration already present keeps the revision it follows, so a re-run
 * changes nothing.
 */
function stageResources(tree: StagedTree, blueprint: Blueprint, rendered: readonly RenderedFeature[], renderer: Renderer): void {
  const resources = rendered.filter(({ plan }) => plan.migration);
  const layout = blueprint.resource;
  if (resources.length === 0 || !layout) return;
  const indexOf = new Map(rendered.map((generated, index) => [generated, index]));
  if (!blueprint.db) {
    const dbLayer = planDbLayer({ ...blueprint, resource: layout });
    for (const file of dbLayer.files) if (tree.read(file.path) === undefined) tree.write(file.path, databaseRenderer().render(file.template, { ...dbLayer.context, lineLength: blueprint.lineLength ?? LINE_LENGTH }), { overwrite: false });
  }

  const registry = modelsRegistry({ ...blueprint, resource: layout }, (file) => tree.read(file));
  if (!registry) throw conflict('the models registry is gone, so the models cannot be added to it; nothing was written.', { path: blueprint.db?.models ?? registryFile(layout) });
  // One edit for the whole batch: a registry is scanned once, however many resources it gains.
  const entries = resources.map(({ feature }) => registryEntry(feature, blueprint, layout));
  const history = readRevisions(tree.root, `${layout.migrations}/versions`);
  assertNamesFree(resources.map((generated, i) => ({ generated, index: indexOf.get(generated)!, entry: entries[i]! })), rendered.length, registry, blueprint, history);
  tree.write(registry.file, addToRegistry(registry.source, entries, blueprint.lineLength ?? LINE_LENGTH), { overwrite: true });

  const known = new Map(history.map((revision) => [revision.revision, revision]));
  const fresh = resources.filter(({ plan }) => !known.has(plan.migration!.revision));
  const chained = new Map(chainAfter(findHeads(history), fresh.map(({ plan }) => plan.migration!.revision)).map((link) => [link.revision, link.downRevision]));
  for (const generated of resources) {
    const { plan } = generated;
    const { revision, path: file, template } = plan.migration!;
    const existing = known.get(revision);
    plan.context.r!.migration.downRevision = (existing ? existing.downRevisions[0] : chained.get(revision)) ?? '';
    const text = renderer.render(template, plan.context);
    plan.files.push({ template, path: file });
    generated.files.push({ path: file, content: Content.of(text) });
  }
}

/**
 * What a resource claims that the backend may hold without any record of it: a model the
 * registry imports under the resource's class name, or a create revision of its table. A
 * resource forgotten (`forget`) leaves both, and so can code written by hand; generating over
 * them would import two models of one name and define one table twice, so that the app, its
 * tests and ruff all fail. Refused (exit 2), naming the payload's resource and what holds it.
 */
function assertNamesFree(resources: readonly { generated: RenderedFeature; index: number; entry: RegistryEntry }[], count: number, registry: { file: string; source: string }, blueprint: Blueprint, history: readonly RevisionFile[]): void {
  const imported = importedModels(registry.source, packageOf(registry.file, blueprint.sourceRoot));
  const problems = resources.flatMap(({ generated: { feature, plan }, index, entry }) => {
    const path = payloadPath(index, count, 'resource.name');
    const { names } = feature.resource!;
    const from = imported.get(entry.name);
    const model = from !== undefined && from !== entry.module ? [{ path, message: `"${names.snake}" would name its model ${entry.name}, which ${registry.file} already imports from ${from}; choose another resource name` }] : [];
    const creating = history.filter((revision) => revision.revision !== plan.migration!.revision && revision.file.endsWith(`_create_${names.table}.py`));
    const table = creating.map((revision) => ({ path, message: `"${names.snake}" would create the table ${names.table}, which ${revision.file} creates already; choose another resource name (or plural)` }));
    return [...model, ...table];
  });
  if (problems.length === 0) return;
  throw invalidInput("a resource would take a model or a table the backend already has, which petsage-build does not record; nothing was written.", {
    problems,
    hints: ['A forgotten resource, or one written by hand, keeps its model, registry import and migration: choose another name, or take those out first.'],
  });
}

/**
 * A resource's files were rendered, before the lock, for the create revision its record named
 * then (or, new, for one of its own); a run that recorded it since, with another table, wins.
 */
function assertCreateRevisionsKept(rendered: readonly RenderedFeature[], previousRecords: readonly (ValidRecord | undefined)[]): void {
  rendered.forEach(({ feature, plan }, i) => {
    const recorded = previousRecords[i]?.plan.migration?.revision;
    if (plan.migration && recorded !== undefined && recorded !== plan.migration.revision) {
      throw conflict(`was recorded by another run after this one began, with another table; nothing was written.`, {
        path: recordPath(feature.names.snake),
        hints: ['Run the command again: it then takes the table as recorded now.'],
      });
    }
  });
}

/**
 * A resource stays a resource. A payload without the `resource` block of one generated before
 * would make it a status feature over its model, repository, dependencies and migration, which
 * its record would no longer name (nor `remove` take back), with the models registry and the
 * resources that ref it still importing them: refused (exit 2) before anything is written.
 */
function assertResourcesKept(rendered: readonly RenderedFeature[], previousRecords: readonly (ValidRecord | undefined)[]): void {
  const dropped = rendered.flatMap(({ feature }, i) => (previousRecords[i]?.feature.resource && !feature.resource ? [{ name: feature.names.snake, i }] : []));
  if (dropped.length === 0) return;
  throw invalidInput('the payload leaves out the `resource` block of a resource generated before; nothing was written.', {
    problems: dropped.map(({ name, i }) => ({
      path: payloadPath(i, rendered.length, 'resource'),
      message: `is missing: ${name} is a resource, and a status feature of its name would leave its model, repository, migration and registry line behind`,
    })),
    hints: [`Keep the \`resource\` block; or take the resource out first (\`petsage-build remove ${dropped[0]!.name}\`), then generate the status feature.`],
  });
}

/** The layout a feature's record keeps: where and how resources persist only for a resource feature. */
function recordedBlueprint(blueprint: Blueprint, feature: Feature): Blueprint {
  if (feature.resource) return blueprint;
  const { resource: _resource, db: _db, ...status } = blueprint;
  return status;
}

interface ResolvedResources {
  features: Feature[];
  parents: ParentLookup;
  parentPayloads: (feature: Feature, created?: Resource) => Record<string, unknown>;
  /** A recorded resource's create revision, which a run keeps whatever its payload says now. */
  createRevision: (feature: string) => string | undefined;
  /**
   * The recorded resources, not in the batch, whose records keep another payload of a resource
   * the batch regenerates (update brings them along; feature leaves them to it).
   */
  behind: string[];
}

/**
 * The batch's resources checked against each other and the target's records: each `ref` names
 * a resource recorded or earlier in the batch, and no two resources share a class or a table.
 * Gives the features with their refs resolved, the resources refs may name, and for each
 * feature the payloads of the parents its record keeps (so `check` can plan it alone).
 */
function resolveResources(root: string, asked: readonly Feature[], blueprint: Blueprint, configKey: string, bringAlong: boolean) {
  const none: ResolvedResources = { features: [...asked], parents: () => undefined, parentPayloads: () => ({}), createRevision: () => undefined, behind: [] };
  if (!asked.some((feature) => feature.resource)) return none;
  const records = readRecords(root);
  assertOneDatabaseLayer(records.values(), blueprint, configKey);
  const behind = recordsBehind(records, asked);
  const features = bringAlong ? [...asked, ...behind.map((name) => records.get(name)!.feature)] : asked;
  const recorded: RecordedResource[] = [...records.values()].map(({ feature }) => ({ feature: feature.names.snake, resource: feature.resource }));
  const refs = checkResourceRefs(features, recorded);
  const problems = [...refs.problems, ...checkResourceNames(features, recorded)];
  if (problems.length > 0) {
    const what = features.length === 1 ? "the payload's resource does not" : 'the resources of the batch do not';
    throw invalidInput(`${what} fit the target; nothing was written.`, { problems });
  }
  const byFeature = new Map<string, { resource: Resource; payload: Record<string, unknown> }>();
  for (const { feature } of records.values()) if (feature.resource) byFeature.set(feature.names.snake, { resource: feature.resource, payload: feature.payload });
  for (const feature of refs.features) if (feature.resource) byFeature.set(feature.names.snake, { resource: feature.resource, payload: feature.payload });
  // Every ancestor: the generated tests store a parent with its own required parents, and so on up.
  const refsOf = (resource: Resource | undefined) => (resource?.fields ?? []).flatMap((field) => (field.type === 'ref' ? [field.feature] : []));
  const ancestorsOf = (resources: readonly (Resource | undefined)[]) => {
    const found = new Set<string>();
    const visit = (names: string[]) => {
      for (const name of names.filter((candidate) => !found.has(candidate))) {
        found.add(name);
        visit(refsOf(byFeature.get(name)?.resource));
      }
    };
    for (const resource of resources) visit(refsOf(resource));
    return [...found];
  };
  // The ancestors of the table its create revision made too, once altered: a ref it had may be dropped since.
  const parentPayloads = (feature: Feature, created?: Resource) => Object.fromEntries(ancestorsOf([feature.resource, created]).sort().map((name) => [name, byFeature.get(name)!.payload]));
  const createRevision = (name: string) => records.get(name)?.plan.migration?.revision;
  return { features: refs.features, parents: (name: string) => byFeature.get(name)?.resource, parentPayloads, createRevision, behind: bringAlong ? [] : behind } satisfies ResolvedResources;
}

/**
 * The recorded resources, not in the batch, whose records keep another payload of a resource the
 * batch regenerates (a record keeps every ancestor's: its tests store their rows), each after the
 * ones it refers to, so that they can follow the batch in it.
 */
function recordsBehind(records: ReadonlyMap<string, ValidRecord>, features: readonly Feature[]): string[] {
  const batch = new Map(features.map((feature) => [feature.names.snake, JSON.stringify(feature.payload)]));
  const behind = [...records.values()].filter(({ feature, record }) => !batch.has(feature.names.snake) && olderParentsKept(record, (name) => batch.get(name)).length > 0);
  const ordered: string[] = [];
  const waiting = new Set(behind.map(({ feature }) => feature.names.snake));
  while (waiting.size > 0) {
    const ready = [...waiting].filter((name) => !records.get(name)!.feature.resource!.fields.some((field) => field.type === 'ref' && waiting.has(field.feature)));
    // Refs cannot go round in a circle (each named an earlier resource), so some are always ready.
    for (const name of ready.length > 0 ? ready : [...waiting]) (ordered.push(name), waiting.delete(name));
  }
  return ordered;
}

/**
 * The resources of a backend share one database layer: their models one metadata (a ref is a
 * foreign key into it; the tests create every table from it) and one Alembic history. So a
 * resource is refused while a recorded one was generated on another layer (exit 2).
 */
function assertOneDatabaseLayer(records: Iterable<ValidRecord>, blueprint: Blueprint, configKey: string): void {
  const layerOf = (db: Blueprint['db']) => (db ? `the database layer named under [tool.petsage.db] (${db.base})` : "petsage-build's database layer");
  const current = JSON.stringify(blueprint.db ?? null);
  const others = [...records].filter(({ feature, record }) => feature.resource && JSON.stringify(record.blueprint.db ?? null) !== current);
  if (others.length === 0) return;
  throw invalidInput(`the backend's resources were generated on another database layer than the config names; nothing was written.`, {
    path: configKey,
    problems: others.map(({ feature, record }) => ({ path: recordPath(feature.names.snake), message: `was generated on ${layerOf(record.blueprint.db)}, and the config now names ${layerOf(blueprint.db)}` })),
    hints: ['Resources of one backend share one layer: set [tool.petsage.db] as it was when they were generated, or remove them first (`petsage-build remove <feature>`).'],
  });
}

/** What a previous record says was added for a registration still in place, checked against the file. */
function recordedRegistration(aggregator: AggregatorFile, previous: ValidRecord, edit: RegisteredEdit): AddedText[] {
  const { added } = previous.record.aggregator;
  // Nothing added: the registration was there before the feature (the user's own).
  if (added.length === 0) return added;
  // Pieces no longer found as added (the user reformatted them) are kept: `remove` then finds the registration by its structure.
  const { problems } = registrationProblems(aggregator, added, edit);
  if (problems.length > 0) {
    throw conflict(`what it says was added to ${edit.file} is not this feature's registration; nothing was written.`, {
      path: recordPath(previous.feature.names.snake),
      problems,
      hints: ['Restore the record from version control, or delete it and generate the feature again.'],
    });
  }
  return added;
}

export async function runFeature(payloadFiles: readonly string[], options: FeatureOptions): Promise<{ target: string; features: FeatureReport[] }> {
  const inputs = await readPayloadInputs(payloadFiles, options.builtin, options.cwd, options.readStdin);
  const features = validateBatch(inputs);
  const root = resolveTarget(options.cwd, options.target);
  // What merges edits in the way: update with the same payloads and target.
  const source = options.builtin === undefined ? payloadFiles : ['--builtin', options.builtin, ...payloadFiles];
  const updateLine = (args: readonly string[]) => commandLine(['petsage-build', 'update', ...args, ...(options.target === '.' ? [] : ['--target', options.target])]);
  return generateFeatures(root, features, { ...options, writer: replaceUnedited(options.force), updateCommand: updateLine(source), updateLine });
}

/** How a generate stages its files (`feature`'s or `update`'s), and what it checks once they are staged. */
export interface GenerateOptions extends Omit<FeatureOptions, 'force' | 'builtin' | 'readStdin' | 'cwd' | 'target'> {
  writer: GeneratedWriter;
  /** Refuses what was staged, as conflicts are, before anything is written (update's conflicting merges). */
  refuse?: () => void;
  /** For the hint of a refusal: the command that would merge edited files in the way. */
  updateCommand?: string;
  /** The update command line for these arguments, with the run's target as given. */
  updateLine?: (args: readonly string[]) => string;  /** Regenerate the recorded resources that keep an older payload of one in the batch too (update); else warn about them. */
  bringAlong?: boolean;
}

/**
 * The generate every writing of features shares: render (before the lock), then, under the
 * lock, stage the files through `writer`, the resources' shared files, the aggregator and the
 * records, and commit all or nothing.
 */
export async function generateFeatures(root: string, features: readonly Feature[], options: GenerateOptions): Promise<{ target: string; features: FeatureReport[] }> {
  const { reporter } = options;
  const { blueprint, origin, keyPrefix } = resolveBlueprint(root, options.preset, features.some((feature) => feature.resource) ? [...STATUS_NEEDS, ...RESOURCE_NEEDS] : STATUS_NEEDS);
  const resources = resolveResources(root, features, blueprint, `${keyPrefix}db`, options.bringAlong === true);
  const broughtAlong = resources.features.slice(features.length).map((feature) => feature.names.snake);
  const { features: resolved } = resources;
  const renderer = rendererFor(root, blueprint);
  const holding = new HoldingBudget(HELD_BYTES);
  const rendered = await renderAll(resolved, blueprint, renderer, holding, reporter, resources);
  // The per-file report (a hash of every file) is built only when read, for --json: a large
  // batch that nobody reports on does not pay for it.
  const report = (changes: readonly Change[]) => ({
    target: root,
    ...(options.dryRun && { dryRun: true }),
    get features() {
      return describeChanges(changes, rendered.map(({ feature, plan }) => ({ feature, plan })), blueprint);
    },
  });

  let drops: ColumnDrops[] = [];
  // The aggregator is read under the lock, so a concurrent run's registration is never lost.
  const changes = await runTransaction({
    root,
    wait: options.wait,
    ...(options.updateCommand !== undefined && { updateCommand: options.updateCommand }),
    dryRun: options.dryRun,
    reporter,
    stage: (tree) => {
      drops = stageFeatures(tree, blueprint, rendered, holding, options.writer, renderer, resources);
    },
    report,
    ...(options.refuse && { refuse: options.refuse }),
    ...(options.verify && {
      beforeFinish: (staged, abort) => verifyFeatures(root, blueprint, rendered.map(({ plan }) => plan), staged, reporter, abort),
    }),
  });
  // Said once the run went through: a refused one updates nothing, these included.
  warnOfDrops(drops, options.dryRun, reporter);
  if (broughtAlong.length > 0) reporter.info(`${options.dryRun ? 'Would update' : 'Updated'} ${broughtAlong.join(', ')} too: ${broughtAlong.length === 1 ? 'it refers' : 'they refer'} to a resource this update changes, and ${broughtAlong.length === 1 ? 'its' : 'their'} tests store that resource's rows.`);
  if (options.dryRun) return report(changes);

  const names = resolved.map((feature) => feature.names.snake);
  reporter.info(`${names.length === 1 ? `Feature ${names[0]}` : `${names.length} features`}: layout "${blueprint.preset}" ${origin}.`);
  if (resolved.length <= SHOWN) reporter.changes(changes);
  else reporter.info(summarize(changes));
  if (changes.every((change) => change.action === 'unchanged')) reporter.info('Already up to date: nothing changed.');
  for (const { feature, plan } of rendered.slice(0, SHOWN)) reporter.info(`${endpointsOf(feature, plan.context.url)} (served by ${blueprint.app})`);
  if (rendered.length > SHOWN) reporter.info(`... and ${rendered.length - SHOWN} more endpoints.`);
  if (resources.behind.length > 0) {
    const { behind } = resources;
    const update = options.updateLine?.(behind) ?? commandLine(['petsage-build', 'update', ...behind]);
    const who = behind.length === 1 ? `${behind[0]} refers` : `${behind.join(', ')} refer`;
    reporter.warn(`${who} to a resource this run changed, and ${behind.length === 1 ? 'its' : 'their'} tests store that resource's rows as they were: run \`${update}\` to bring the change in.`);
  }
  return report(changes);
}

/** `Endpoint: GET /api/v1/x/`, or a resource's routes: `Endpoints: POST, GET /api/v1/pets/; GET, PATCH, DELETE /api/v1/pets/{pet_id}`. */
function endpointsOf(feature: Feature, url: string): string {
  if (!feature.resource) return `Endpoint: GET ${url}`;
  const { operations, names } = feature.resource;
  const has = (operation: (typeof operations)[number]) => operations.includes(operation);
  const collection = [has('create') && 'POST', has('list') && 'GET'].filter(Boolean).join(', ');
  const item = [has('get') && 'GET', has('update') && 'PATCH', has('delete') && 'DELETE'].filter(Boolean).join(', ');
  const routes = [collection && `${collection} ${url}`, item && `${item} ${url}{${names.snake}_id}`].filter(Boolean);
  return `Endpoints: ${routes.join('; ')}`;
}

function summarize(changes: readonly Change[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  return `Files: ${[...counts].map(([action, count]) => `${count} ${action}`).join(', ')}.`;
}
