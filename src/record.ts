import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Blueprint } from './blueprint/presets.js';
import { invalidInput } from './errors.js';
import type { AddedText } from './python/edits.js';
import packageJson from '../package.json' with { type: 'json' };

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
}

export const RECORDS_DIR = '.petsage/features';
export const recordPath = (feature: string) => `${RECORDS_DIR}/${feature}.json`;
export const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
export const GENERATOR = { name: packageJson.name, version: packageJson.version };

export function serializeRecord(record: FeatureRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

export function parseRecord(text: string, file: string): FeatureRecord {
  try {
    const record = JSON.parse(text) as FeatureRecord;
    if (!record.payload || !record.blueprint || !Array.isArray(record.files) || !record.aggregator) throw new Error('missing fields');
    return record;
  } catch (error) {
    throw invalidInput(`${file}: is not a petsage-build record (${(error as Error).message}).`, ['Restore it from version control, or delete it.']);
  }
}

/** Every record in the target, by feature name. */
export function readRecords(root: string): Map<string, FeatureRecord> {
  const records = new Map<string, FeatureRecord>();
  let names: string[];
  try {
    names = readdirSync(path.join(root, RECORDS_DIR)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return records;
  }
  for (const name of names) {
    const file = `${RECORDS_DIR}/${name}`;
    records.set(name.slice(0, -'.json'.length), parseRecord(readFileSync(path.join(root, file), 'utf8'), file));
  }
  return records;
}

export interface RecordedFileOnDisk {
  /** As generated, edited since, or gone. */
  state: 'current' | 'edited' | 'missing';
  text?: string;
  sha256?: string;
}

/** A generated file as it is on disk now, against the hash its record keeps. */
export function recordedFileOnDisk(root: string, file: { path: string; sha256: string | undefined }): RecordedFileOnDisk {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(root, file.path));
  } catch {
    return { state: 'missing' };
  }
  const hash = sha256(bytes);
  return { state: hash === file.sha256 ? 'current' : 'edited', text: bytes.toString('utf8'), sha256: hash };
}
