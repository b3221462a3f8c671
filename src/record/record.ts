import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Blueprint, ResourceLayout } from '../blueprint/presets.js';
import { resolveBlueprint } from '../blueprint/config.js';
import { blueprintProblems, isIdentifier } from '../blueprint/validate.js';
import { asciiJson, isPlainObject, memoized, sha256, SHA256_HEX } from '../data.js';
import { conflict, PetsageError, type Problem } from '../errors.js';
import { nearest } from '../suggest.js';
import { validatePayload, type Feature } from '../payload/payload.js';
import type { Resource } from '../payload/resource.js';
import { createMigrationPath, planFeature, type Plan } from '../plan/plan.js';
import { createRevisionId } from '../plan/resource-columns.js';
import type { ParentLookup } from '../plan/resource-parents.js';
import { legacyCreateRevisionId } from '../migrations/history.js';
import { baseShapeProblems } from './base.js';
import { hasConflictMarkers } from './merge.js';
import { recordedTables, TABLE_KEYS, type TableKey } from './table-state.js';
import { linkOnTheWay, linkRefused, readContained, readContainedText } from '../commit/safe-fs.js';
import type { AddedText } from '../python/edits.js';
import packageJson from '../../package.json' with { type: 'json' };

/**
 * What was generated for one feature, kept in the target (`.petsage/features/<f>.json`) and
 * meant to be committed: enough to re-render it (`check`), to take it out again (`remove`), and
 * to tell hand edits from template changes. Deterministic: no timestamps, sorted by path.
 */
export interface FeatureRecord {
  generator: { name: string; version: string };
  /** The payload as validated: feature, description, and requirements as given. */
  payload: Record<string, unknown>;
  blueprint: Blueprint;
  files: { path: string; sha256: string }[];
  aggregator: { file: string; routerVar: string; added: AddedText[] };
  /**
   * Resource features only: the revision their migration follows (null: the first) and the
   * payloads of the resources their refs name, so the feature can be planned on its own.
   */
  resource?: { downRevision: string | null; parents: Record<string, unknown>; table?: unknown; created?: unknown };
  /**
   * What was generated, compressed (see base.ts): the merge base `update` needs. Absent from
   * records made before it was kept; `update` then replaces unedited files and refuses to guess
   * at edited ones.
   */
  base?: string;
}

/**
 * The resources whose payload a record keeps (a resource's record keeps every ancestor's, as its
 * tests store their rows) in another version than `current` gives as JSON; a name `current` does
 * not know is not compared. Their files were made for those versions: `update` brings them in line.
 */
export function olderParentsKept(record: FeatureRecord, current: (feature: string) => string | undefined): string[] {
  return Object.entries(record.resource?.parents ?? {}).flatMap(([name, payload]) => {
    const now = current(name);
    return now !== undefined && now !== JSON.stringify(payload) ? [name] : [];
  });
}

export const RECORDS_DIR = '.petsage/features';
export const recordPath = (feature: string) => `${RECORDS_DIR}/${feature}.json`;
export const GENERATOR = { name: packageJson.name, version: packageJson.version };

/** A base as `baseValue` makes it, and as a record is checked for when read: nothing in it for JSON to escape. */
const PLAIN_BASE = /^[\w+/=:]*$/;

/**
 * The record as indented, ASCII-only JSON, its base last. The base is most of a record's
 * characters and plain base64, so it is appended as it is: JSON.stringify's scan of it for
 * characters to escape took two thirds of the time of writing a record.
 */
export function serializeRecord(record: FeatureRecord): string {
  const { base, ...rest } = record;
  if (base === undefined || !PLAIN_BASE.test(base)) return `${asciiJson(record)}\n`;
  return `${asciiJson(rest).slice(0, -'\n}'.length)},\n  "base": "${base}"\n}\n`;
}

/** A broken record is exit 3: the run stops before reading, printing, writing or deleting anything. */
const invalidRecord = (file: string, problems: readonly Problem[]) =>
  conflict('is not a valid petsage-build record; nothing was changed.', {
    path: file,
    problems,
    hints: ["Restore it from version control, or delete it (and the feature's files by hand) to stop tracking the feature."],
  });

/**
 * A registration is an import and an include, with a comment and blank lines: a few short pieces;
 * and, for the feature that made a module list too long, a line break after each name of it.
 */
const MAX_ADDED = 1024;
const MAX_ADDED_TEXT = 4096;
const RECORD_KEYS = ['generator', 'payload', 'blueprint', 'files', 'aggregator'];
const OPTIONAL_RECORD_KEYS = ['resource', 'base'];
const BLUEPRINT_KEYS = ['preset', 'sourceRoot', 'app', 'apiPrefix', 'aggregator', 'router', 'paths', 'templates', 'python', 'lineLength', 'pythonFloor', 'clientFixture', 'mount', 'routeDependencies', 'resource', 'db'];

/** Keys an object must not have beyond `allowed`, as `where.key: unknown key` lines. */
function extraKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): Problem[] {
  return Object.keys(value).filter((key) => !allowed.includes(key)).map((key) => ({ path: `${where}${key}`, message: 'unknown key' }));
}

function addedProblems(added: unknown): Problem[] {
  if (!Array.isArray(added) || added.length > MAX_ADDED) return [{ path: 'aggregator.added', message: `must be a list of at most ${MAX_ADDED} pieces` }];
  return added.flatMap((piece, i) => {
    const where = `aggregator.added[${i}]`;
    if (!isPlainObject(piece)) return [{ path: where, message: `must be an object` }];
    const problems = extraKeys(piece, ['offset', 'text'], `${where}.`);
    if (!Number.isSafeInteger(piece.offset) || (piece.offset as number) < 0) problems.push({ path: `${where}.offset`, message: 'must be a whole number, 0 or more' });
    if (typeof piece.text !== 'string' || piece.text === '' || piece.text.length > MAX_ADDED_TEXT) problems.push({ path: `${where}.text`, message: 'must be a non-empty string' });
    return problems;
  });
}

const REVISION_ID = /^[0-9a-z_]{1,64}$/i;

/**
 * The `resource` key: present exactly for a resource feature, with the revision its migration
 * follows and a valid payload of each parent its refs name (resolved here, as the batch did).
 */
function resourceParents(value: unknown, feature: Feature | undefined, problems: Problem[], tables: Partial<Record<TableKey, Resource>>): Map<string, Resource> {
  const parents = new Map<string, Resource>();
  if (!feature) return parents;
  if (!feature.resource) {
    if (value !== undefined) problems.push({ path: 'resource', message: 'unknown key (the payload has no resource)' });
    return parents;
  }
  if (!isPlainObject(value)) {
    problems.push({ path: 'resource', message: 'must be {"downRevision", "parents"}' });
    return parents;
  }
  problems.push(...extraKeys(value, ['downRevision', 'parents', ...TABLE_KEYS], 'resource.'));
  Object.assign(tables, recordedTables(value, feature, problems));
  const down = value.downRevision;
  if (down !== null && (typeof down !== 'string' || !REVISION_ID.test(down))) problems.push({ path: 'resource.downRevision', message: 'must be a revision id or null' });
  if (!isPlainObject(value.parents)) {
    problems.push({ path: 'resource.parents', message: 'must be an object' });
    return parents;
  }
  for (const [name, payload] of Object.entries(value.parents)) {
    try {
      const parent = validatePayload(payload, `resource.parents.${name}`);
      if (parent.names.snake !== name || !parent.resource) problems.push({ path: `resource.parents.${name}`, message: 'must be the payload of that resource feature' });
      else parents.set(name, parent.resource);
    } catch (error) {
      if (!(error instanceof PetsageError)) throw error;
      problems.push(...error.problems.map((problem) => ({ path: `resource.parents.${name}.${problem.path}`, message: problem.message })));
    }
  }
  // The create revision of an altered table is rendered from `created`, whose refs may since be dropped.
  for (const [key, resource] of [['payload', feature.resource], ['created', tables.created]] as const) {
    for (const field of resource?.fields ?? []) {
      if (field.type === 'ref' && !parents.has(field.feature)) problems.push({ path: 'resource.parents', message: `does not hold "${field.feature}", which the field ${field.name} refers to${key === 'created' ? ' in resource.created' : ''}` });
    }
  }
  return parents;
}

/** A record that passed validation, with the plan it was checked against. */
export interface ValidRecord {
  record: FeatureRecord;
  feature: Feature;
  plan: Plan;
  /** A resource feature's table as its migrations leave it (see table-state.ts). */
  table?: Resource;
  /** The table as its create revision made it, once a later revision altered it. */
  created?: Resource;
}

/**
 * The problems of a record's blueprint, by its JSON: a backend's records keep one blueprint, or
 * a few, so a run that reads a thousand of them checks each one once (a tenth of reading them).
 */
const recordedBlueprintProblems = memoized((json: string): readonly Problem[] => {
  const blueprint = JSON.parse(json) as Record<string, unknown>;
  return [...extraKeys(blueprint, BLUEPRINT_KEYS, 'blueprint.'), ...blueprintProblems(blueprint as unknown as Blueprint, (key) => `blueprint.${key}`)];
});

/**
 * Checks a record as strictly as a payload: its payload is a valid payload of the feature its
 * file is named after, its blueprint passes the config rules, and its files are exactly the
 * files that payload and blueprint plan. So a record can only ever name what a generate of its
 * own feature writes, never `app/main.py` or a file outside the target.
 */
export function parseRecord(text: string, file: string, expectedFeature: string): ValidRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalidRecord(file, [{ message: `not JSON: ${(error as Error).message}` }]);
  }
  if (!isPlainObject(data)) throw invalidRecord(file, [{ message: 'must be a JSON object' }]);
  const problems = [...extraKeys(data, [...RECORD_KEYS, ...OPTIONAL_RECORD_KEYS], ''), ...RECORD_KEYS.filter((key) => !Object.hasOwn(data, key)).map((key) => ({ path: key, message: 'is missing' }))];
  const { generator, payload, blueprint, files, aggregator } = data;
  if (!isPlainObject(generator) || typeof generator.name !== 'string' || typeof generator.version !== 'string') problems.push({ path: 'generator', message: 'must be {"name", "version"}' });
  if (!isPlainObject(blueprint)) problems.push({ path: 'blueprint', message: 'must be an object' });
  else problems.push(...recordedBlueprintProblems(JSON.stringify(blueprint)));
  let feature: Feature | undefined;
  try {
    feature = validatePayload(payload, 'payload');
  } catch (error) {
    if (!(error instanceof PetsageError)) throw error;
    problems.push(...error.problems.map((problem) => ({ path: `payload.${problem.path}`, message: problem.message })));
  }
  if (feature && feature.names.snake !== expectedFeature) problems.push({ path: `payload.feature`, message: `is "${feature.names.snake}", but the record is ${recordPath(expectedFeature)}` });
  if (!isPlainObject(aggregator)) problems.push({ path: 'aggregator', message: 'must be an object' });
  else {
    problems.push(...extraKeys(aggregator, ['file', 'routerVar', 'added'], 'aggregator.'), ...addedProblems(aggregator.added));
    if (isPlainObject(blueprint) && aggregator.file !== blueprint.aggregator) problems.push({ path: `aggregator.file`, message: `must be the blueprint's aggregator (${JSON.stringify(blueprint.aggregator)})` });
    const routerVar = aggregator.routerVar;
    if (typeof routerVar !== 'string' || !isIdentifier(routerVar)) problems.push({ path: 'aggregator.routerVar', message: 'must be a Python variable name' });
    else if (isPlainObject(blueprint) && blueprint.router !== undefined && routerVar !== blueprint.router) problems.push({ path: `aggregator.routerVar`, message: `must be the blueprint's router (${JSON.stringify(blueprint.router)})` });
  }
  if (!Array.isArray(files)) problems.push({ path: 'files', message: 'must be a list' });
  problems.push(...baseShapeProblems(data.base));
  const tables: Partial<Record<TableKey, Resource>> = {};
  const parents = resourceParents(data.resource, feature, problems, tables);
  if (problems.length > 0 || !feature) throw invalidRecord(file, problems);

  let plan: Plan;
  try {
    const lookup = (name: string) => parents.get(name);
    const createRevision = feature.resource && recordedCreateRevision(feature, tables.created ?? tables.table ?? feature.resource, lookup, files as unknown[], (blueprint as unknown as Blueprint).resource);
    plan = planFeature(feature, blueprint as unknown as Blueprint, lookup, createRevision);
    if (plan.context.r) plan.context.r.migration.downRevision = (data.resource as { downRevision: string | null }).downRevision ?? '';
    if (plan.migration) plan.files.push({ template: plan.migration.template, path: plan.migration.path });
    // A table altered since: its create revision stays as it was made.
    if (tables.created) Object.assign(plan.context.r!.migration, createdTable(planFeature({ ...feature, resource: tables.created }, blueprint as unknown as Blueprint, (name) => parents.get(name))));
  } catch (error) {
    if (!(error instanceof PetsageError)) throw error;
    throw invalidRecord(file, [{ path: error.path, message: error.text }, ...error.problems]);
  }
  const planned = new Set(plan.files.map((planFile) => planFile.path));
  const listed = new Set<string>();
  (files as unknown[]).forEach((entry, i) => {
    const where = `files[${i}]`;
    if (!isPlainObject(entry)) return problems.push({ path: where, message: `must be {"path", "sha256"}` });
    problems.push(...extraKeys(entry, ['path', 'sha256'], `${where}.`));
    if (typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256)) problems.push({ path: `${where}.sha256`, message: `must be a sha256 in hex` });
    if (typeof entry.path !== 'string' || !planned.has(entry.path)) {
      problems.push({ path: `${where}.path`, message: `${JSON.stringify(entry.path)} is not a file this feature generates (it generates ${[...planned].join(', ')})` });
    } else if (listed.has(entry.path)) problems.push({ path: `${where}.path`, message: `is listed twice` });
    else listed.add(entry.path);
    return undefined;
  });
  for (const missing of [...planned].filter((planFile) => !listed.has(planFile))) problems.push({ path: `files`, message: `does not list ${missing}` });
  if (problems.length > 0) throw invalidRecord(file, problems);
  return { record: data as unknown as FeatureRecord, feature, plan, ...(feature.resource && { table: tables.table ?? feature.resource }), ...(tables.created && { created: tables.created }) };
}

/**
 * The create revision a resource's record names: the one derived from the table it created, or,
 * for a record written before ids were derived so, the one from its feature and table alone.
 */
function recordedCreateRevision(feature: Feature, created: Resource, parents: ParentLookup, files: readonly unknown[], layout: ResourceLayout | undefined): string {
  const derived = createRevisionId(feature.names.snake, created, parents);
  if (!layout) return derived;
  const legacy = legacyCreateRevisionId(feature.names.snake, created.names.table);
  const listed = new Set(files.map((entry) => (isPlainObject(entry) ? entry.path : undefined)));
  const named = (revision: string) => listed.has(createMigrationPath(layout, revision, created.names.table));
  return named(legacy) && !named(derived) ? legacy : derived;
}

/** What a create revision says of its table, from the plan of the block it was made from. */
const createdTable = (plan: Plan) => {
  const { createTable, createIndexes, dropIndexes } = plan.context.r!.migration;
  return { createTable, createIndexes, dropIndexes };
};

/** The record of one feature, validated; undefined when it has none. */
export function readRecord(root: string, feature: string): ValidRecord | undefined {
  const file = recordPath(feature);
  const text = readContainedText(root, file);
  return text === undefined ? undefined : parseRecord(text, file, feature);
}

const RECORD_NAME = /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\.json$/;

/**
 * The hint for a feature name that is not recorded: the recorded one it most likely means, and
 * the list of them.
 */
export function recordedFeaturesHint(known: readonly string[], asked: readonly string[]): string {
  if (known.length === 0) return 'No feature is recorded in this target.';
  const meant = asked.map((name) => nearest(name, known)).find((name) => name !== undefined);
  return `${meant === undefined ? '' : `Did you mean ${meant}? `}Recorded features: ${known.join(', ')}`;
}

/** The names of the recorded features, from the records' file names; a name that is not a feature's is exit 3. */
export function recordNames(root: string): string[] {
  const link = linkOnTheWay(root, RECORDS_DIR);
  if (link !== undefined) throw linkRefused(link, RECORDS_DIR);
  let names: string[];
  try {
    names = readdirSync(path.join(root, RECORDS_DIR)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const feature = RECORD_NAME.exec(name)?.[1];
    if (feature === undefined) throw invalidRecord(`${RECORDS_DIR}/${name}`, [{ message: 'the file name is not a feature name (snake_case) followed by .json' }]);
    return feature;
  });
}

/** Every record in the target, by feature name, each validated. */
export function readRecords(root: string): Map<string, ValidRecord> {
  return new Map(recordNames(root).map((name) => [name, readRecord(root, name)!]));
}

/**
 * The records of a backend, for the commands that only read them (`check`, `list`). None is fine
 * in a backend and a mistake anywhere else: a CI step pointed at the wrong folder must not pass,
 * so the target must then still be one (exit 2, as generating there would be).
 */
export function readBackendRecords(root: string): Map<string, ValidRecord> {
  const records = readRecords(root);
  if (records.size === 0) resolveBlueprint(root);
  return records;
}

/**
 * The recorded features' names, for the commands that name one (`remove`, `forget`): with none,
 * a --target that is not the backend is the likelier mistake than the name, so the target must
 * still be one (exit 2), as for readBackendRecords.
 */
export function backendRecordNames(root: string): string[] {
  const names = recordNames(root);
  if (names.length === 0) resolveBlueprint(root);
  return names;
}

export interface RecordedFileOnDisk {
  /** As generated, edited since, edited and still holding `update`'s conflict markers, or gone. */
  state: 'current' | 'edited' | 'conflicted' | 'missing';
  /** The bytes on disk, left undecoded: `remove` needs only the hash, so a file that is not UTF-8 can still go. */
  bytes?: Buffer;
  sha256?: string;
}

/**
 * A generated file as it is on disk now, against the hash its record keeps. Only ever called
 * with a path the feature's plan names, and read without following links.
 */
export function recordedFileOnDisk(root: string, file: { path: string; sha256: string | undefined }): RecordedFileOnDisk {
  const bytes = readContained(root, file.path);
  if (bytes === undefined) return { state: 'missing' };
  const hash = sha256(bytes);
  if (hash === file.sha256) return { state: 'current', bytes, sha256: hash };
  return { state: hasConflictMarkers(bytes) ? 'conflicted' : 'edited', bytes, sha256: hash };
}
