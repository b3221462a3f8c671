import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/blueprint/presets.js';
import { JOURNAL_FILE, readJournal, rootIdentity } from '../../src/commit/journal.js';
import { validatePayload } from '../../src/payload/payload.js';
import { planFeature } from '../../src/plan/plan.js';
import { GENERATOR, parseRecord, readRecords, serializeRecord, type FeatureRecord } from '../../src/record/record.js';
import { failure } from '../helpers/errors.js';
import { tempDir } from '../helpers/tmp.js';

const FILE = '.petsage/features/pets.json';
const HASH = 'a'.repeat(64);

/** A record as a generate of `pets` in the default layout writes it. */
function record(): FeatureRecord {
  const payload = { feature: 'pets', description: 'Pets.' };
  const plan = planFeature(validatePayload(payload, 'pets'), PRESETS.modules!);
  return {
    generator: GENERATOR,
    payload,
    blueprint: PRESETS.modules!,
    files: plan.files.map((file) => ({ path: file.path, sha256: HASH })),
    aggregator: { file: 'app/api/v1/api.py', routerVar: 'api_v1_router', added: [{ offset: 10, text: 'x\n' }] },
  };
}

/** The problems a tampered record is refused for (exit 3). */
function problems(tamper: (tampered: Record<string, any>) => void, name = 'pets'): string[] {
  const tampered = JSON.parse(serializeRecord(record()));
  tamper(tampered);
  const error = failure(() => parseRecord(JSON.stringify(tampered), FILE, name));
  expect(error.exitCode).toBe(3);
  expect(error.message).toBe(`${FILE}: is not a valid petsage-build record; nothing was changed.`);
  return error.details.slice(0, -1);
}

describe('serializeRecord', () => {
  // The base is appended by hand, past JSON.stringify: the text must be what JSON.stringify makes.
  it.each([
    ['with no base', undefined],
    ['with a base', 'brotli:GxAAAIyUbGVhcm4gdGhpcw+/=='],
    ['with a base that is not plain base64', 'brotli:"quoted"\\\u00e9'],
  ])('writes indented ASCII JSON %s, the base last', (_, base) => {
    const made = { ...record(), ...(base !== undefined && { base }) };
    const text = serializeRecord(made);
    expect(text).toBe(`${JSON.stringify(made, null, 2).replace(/\u00e9/g, '\\u00e9')}\n`);
    expect(JSON.parse(text)).toEqual(made);
  });
});

describe('parseRecord', () => {
  it('accepts what a generate writes, with the plan it was checked against', () => {
    const valid = parseRecord(serializeRecord(record()), FILE, 'pets');
    expect(valid.plan.files.map((file) => file.path)).toEqual(record().files.map((file) => file.path));
  });

  it("accepts the target's Python floor from 3.11 on, which the check of the record renders for", () => {
    const floored = { ...record(), blueprint: { ...PRESETS.modules!, pythonFloor: '3.12' } };
    expect(parseRecord(serializeRecord(floored), FILE, 'pets').record.blueprint.pythonFloor).toBe('3.12');
  });

  it.each([
    ['a file outside', (r: any) => (r.files[0].path = '../decoy/victim.txt'), 'files[0].path: "../decoy/victim.txt" is not a file this feature generates'],
    ['an absolute file', (r: any) => (r.files[0].path = '/proc/self/environ'), 'files[0].path: "/proc/self/environ" is not a file this feature generates'],
    ['the app', (r: any) => (r.files[0].path = 'app/main.py'), 'files[0].path: "app/main.py" is not a file this feature generates'],
    ['a file listed twice', (r: any) => (r.files[1].path = r.files[0].path), 'files[1].path: is listed twice'],
    ['a missing file', (r: any) => r.files.pop(), 'files: does not list tests/api/v1/test_pets.py'],
    ['a bad hash', (r: any) => (r.files[0].sha256 = 'x'), 'files[0].sha256: must be a sha256 in hex'],
    ['another aggregator', (r: any) => (r.aggregator.file = 'app/security.py'), 'aggregator.file: must be the blueprint\'s aggregator ("app/api/v1/api.py")'],
    ['another router', (r: any) => (r.aggregator.routerVar = 'app'), 'aggregator.routerVar: must be the blueprint\'s router ("api_v1_router")'],
    ['a huge added text', (r: any) => (r.aggregator.added[0].text = 'x'.repeat(5000)), 'aggregator.added[0].text: must be a non-empty string'],
    ['a negative offset', (r: any) => (r.aggregator.added[0].offset = -1), 'aggregator.added[0].offset: must be a whole number, 0 or more'],
    ['overrides outside', (r: any) => (r.blueprint.templates = '../decoy'), 'blueprint.templates: must be a normalised path'],
    ['an injected prefix', (r: any) => (r.blueprint.apiPrefix = '/x"""\nimport os'), 'blueprint.apiPrefix: must be a URL path'],
    ['a Python floor that changes nothing', (r: any) => (r.blueprint.pythonFloor = '3.10'), 'blueprint.pythonFloor: must be a Python version from "3.11" on'],
    ['a Python floor that is not a version', (r: any) => (r.blueprint.pythonFloor = 'py312'), 'blueprint.pythonFloor: must be a Python version from "3.11" on'],
    ['an extra key', (r: any) => (r.extra = 1), 'extra: unknown key'],
    ['an invalid payload', (r: any) => (r.payload.description = ''), 'payload.description: must not be empty'],
  ])('refuses %s (exit 3, naming the entry)', (_, tamper, expected) => {
    expect(problems(tamper).join('\n')).toContain(expected);
  });

  it('refuses a record whose payload is another feature than its file', () => {
    expect(problems(() => undefined, 'owners')).toContain('payload.feature: is "pets", but the record is .petsage/features/owners.json');
  });

  it('refuses a blueprint that would plan the app module itself', () => {
    const found = problems((r) => {
      r.payload.feature = 'main';
      r.blueprint.paths.schema = 'app/{feature}.py';
    }, 'main');
    expect(found.join('\n')).toContain('would generate app/main.py, which is the app module');
  });
});

describe('readRecords', () => {
  it('refuses a record file that is not named after a feature, and a records folder that is a link', () => {
    const root = tempDir();
    mkdirSync(path.join(root, '.petsage/features'), { recursive: true });
    writeFileSync(path.join(root, '.petsage/features/Bad-Name.json'), '{}');
    expect(failure(() => readRecords(root)).message).toContain('.petsage/features/Bad-Name.json: is not a valid petsage-build record');
    const linked = tempDir();
    mkdirSync(path.join(linked, '.petsage'));
    symlinkSync(root, path.join(linked, '.petsage/features'));
    expect(failure(() => readRecords(linked)).message).toContain('.petsage/features: is a symbolic link');
  });
});

describe('readJournal', () => {
  const journalIn = (root: string, journal: Record<string, unknown>) => writeFileSync(path.join(root, JOURNAL_FILE), JSON.stringify(journal));
  const valid = (root: string) => ({ version: 2, run: 'b'.repeat(32), root: rootIdentity(root), phase: 'renaming', createdDirs: ['app/x'], entries: [{ path: 'app/x/y.py', sha256: HASH, backup: false }] });

  it('accepts a journal this directory wrote', () => {
    const root = tempDir();
    journalIn(root, valid(root));
    expect(readJournal(root)?.entries).toHaveLength(1);
  });

  it.each([
    ['another directory', (j: any) => (j.root = '1:2:3'), 'root: it was not written in this directory'],
    ['an entry outside', (j: any) => (j.entries[0].path = '../decoy/victim.txt'), 'entries[0].path: "../decoy/victim.txt" must be a normalised path'],
    ['an absolute entry', (j: any) => (j.entries[0].path = '/etc/passwd'), 'entries[0].path: "/etc/passwd" must be a relative path'],
    ['the lock as an entry', (j: any) => (j.entries[0].path = '.petsage.lock'), 'entries[0].path'],
    ['a created directory outside', (j: any) => (j.createdDirs = ['../decoy']), 'createdDirs[0]: "../decoy"'],
    ['a created directory holding none of its files', (j: any) => (j.createdDirs = ['app/other']), 'createdDirs[0]: "app/other" holds none of the journal\'s files'],
    ['a removal without a backup', (j: any) => (j.entries[0] = { path: 'app/x/y.py', removal: true, backup: false }), 'entries[0]: a removal must have a backup'],
    ['a removal with a hash', (j: any) => (j.entries[0] = { path: 'app/x/y.py', removal: true, sha256: HASH, backup: true }), 'entries[0]: a removal has no sha256'],
    ['a written file without its hash while renaming', (j: any) => delete j.entries[0].sha256, 'entries[0].sha256: is missing'],
    ['a journal of another version', (j: any) => (j.version = 1), 'version: is not a journal this version of petsage-build wrote'],
    ['helper names of its own', (j: any) => (j.entries[0].temp = 'evil.tmp'), 'entries[0].temp: unknown key'],
    ['a run id that is not random hex', (j: any) => (j.run = '../x'), 'run: must be 32 hex digits'],
  ])('refuses %s (exit 3)', (_, tamper, expected) => {
    const root = tempDir();
    const journal = valid(root);
    tamper(journal);
    journalIn(root, journal);
    const error = failure(() => readJournal(root));
    expect(error.exitCode).toBe(3);
    expect(error.details.join('\n')).toContain(expected);
  });

  it('accepts a written file without its hash while staging (the file is made as its temp file is written)', () => {
    const root = tempDir();
    const journal = { ...valid(root), phase: 'staging', entries: [{ path: 'app/x/y.py', backup: false }] };
    journalIn(root, journal);
    expect(readJournal(root)?.entries).toEqual([{ path: 'app/x/y.py', backup: false }]);
  });

  it('refuses an entry reached through a link', () => {
    const root = tempDir();
    symlinkSync(tempDir(), path.join(root, 'app'));
    journalIn(root, valid(root));
    expect(failure(() => readJournal(root)).details.join('\n')).toContain('app: is a symbolic link on the way to app/x/y.py');
  });
});
