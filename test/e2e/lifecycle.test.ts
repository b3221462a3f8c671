import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { BIN, fixture } from '../helpers/paths.js';
import { backendCopies, snapshotTree, tempDir } from '../helpers/tmp.js';

const workspace = tempDir();
/** Fresh copies of an init backend. */
const backends = backendCopies(workspace);
const { pristine } = backends;
const backend = () => backends.copy();
const payload = (feature: string, description = `The ${feature} feature.`) => ({ feature, description });
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

beforeAll(async () => {
  expect((await petsage(['init', pristine])).exitCode).toBe(0);
});

describe('--json', () => {
  it('puts one report on stdout and the human output on stderr', async () => {
    const root = backend();
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', root, '--json']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('Feature smoke_test');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ tool: { name: 'petsage-build' }, command: 'feature', target: root, exitCode: 0, errors: [] });
    const [feature] = report.features;
    expect(feature.feature).toBe('smoke_test');
    expect(feature.aggregator).toMatchObject({ path: 'app/api/v1/api.py', action: 'updated' });
    const files = Object.fromEntries(feature.files.map((file: { path: string; action: string; sha256: string }) => [file.path, file]));
    expect(files['app/api/v1/modules/smoke_test/router.py']).toMatchObject({ action: 'created', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(files['.petsage/features/smoke_test.json'].action).toBe('created');
  });

  it('reports errors as code, path and message, with the exit code', async () => {
    const result = await petsage(['feature', fixture('payloads/invalid/every_problem.json'), '--target', backend(), '--json']);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.exitCode).toBe(2);
    expect(report.errors).toContainEqual({ code: 'invalid_input', path: 'extra', message: 'unknown field; allowed fields are feature, description, requirements, resource' });
  });

  it('reports usage errors too', async () => {
    const result = await petsage(['feature', '--no-such-flag', '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 2 });
  });
});

describe('batches', () => {
  it('takes several files and a JSON array in one transaction, registering in argument order', async () => {
    const root = backend();
    const dir = path.join(workspace, `payloads-${backends.count}`);
    mkdirSync(dir);
    const [first, ...rest] = ['zebra_walks', 'alpha_visits', 'mid_checks'];
    writeFileSync(path.join(dir, 'one.json'), JSON.stringify(payload(first!)));
    writeFileSync(path.join(dir, 'many.json'), JSON.stringify(rest.map((name) => payload(name))));
    const result = await petsage(['feature', path.join(dir, 'one.json'), path.join(dir, 'many.json'), '--target', root]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${1 + rest.length} features`);
    const api = readFileSync(path.join(root, 'app/api/v1/api.py'), 'utf8');
    const order = [first!, ...rest].map((name) => api.indexOf(`include_router(${name}_router`));
    for (const at of order) expect(at).toBeGreaterThanOrEqual(0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('shows progress on a terminal for more than 20 features, and only there', async () => {
    const batch = path.join(workspace, 'progress.json');
    // More than 20 features shows progress; enough for more than one progress step.
    const count = 60;
    writeFileSync(batch, JSON.stringify(Array.from({ length: count }, (_, i) => payload(`progress_${i}`))));
    const piped = await petsage(['feature', batch, '--target', backend()]);
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(piped.stderr).not.toContain('rendering');
    // util-linux `script` gives the command a pseudo-terminal.
    const command = [process.execPath, BIN, 'feature', batch, '--target', backend()].map((arg) => `'${arg}'`).join(' ');
    const onTerminal = await run('script', ['-qec', command, '/dev/null']);
    expect(onTerminal.exitCode, onTerminal.stdout).toBe(0);
    expect(onTerminal.stdout).toMatch(new RegExp(`rendering [1-9]\\d*/${count}`));
    expect(onTerminal.stdout).toContain(`${count} features`);
  });

  it('reads NDJSON from stdin', async () => {
    const root = backend();
    const ndjson = [payload('first_one'), payload('second_one')].map((item) => JSON.stringify(item)).join('\n');
    const result = await petsage(['feature', '-', '--target', root], { input: Buffer.from(`${ndjson}\n`) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'app/api/v1/api.py'), 'utf8')).toContain('second_one_router');
  });

  it('writes nothing when any payload is invalid, listing every error under its index', async () => {
    const root = backend();
    const before = snapshotTree(root);
    const batch = [payload('good_one'), { feature: 'Bad', description: '' }, payload('good_one')];
    const result = await petsage(['feature', '-', '--target', root], { input: json(batch) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('payloads[1].feature: must be snake_case');
    expect(result.stderr).toMatch(/payloads\[1\]\.description: must not be empty.* \(stdin\[1\]\)/);
    expect(result.stderr).toContain('payloads[2].feature: "good_one" is also payloads[0]; each feature may appear once (stdin[2])');
    expect(snapshotTree(root)).toEqual(before);
    // CI reads the same, structured: a path per problem, the payload's index in it.
    const report = JSON.parse((await petsage(['feature', '-', '--target', root, '--json'], { input: json(batch) })).stdout);
    expect(report.errors.map((error: { code: string; path?: string }) => [error.code, error.path])).toEqual([
      ['invalid_input', undefined],
      ['invalid_input', 'payloads[1].feature'],
      ['invalid_input', 'payloads[1].description'],
      ['invalid_input', 'payloads[2].feature'],
    ]);
  });
});

describe('check, list and remove', () => {
  let root: string;
  beforeAll(async () => {
    root = backend();
    const result = await petsage(['feature', '-', '--target', root], { input: json([payload('smoke_test', 'Ensure builder functional'), payload('pet_profile')]) });
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it('check: current right after generating (exit 0)', async () => {
    const result = await petsage(['check', '--target', root]);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain('Every recorded feature is current.');
  });

  it('check lists a hand edit as the user\'s (exit 0), which --strict counts as drift (exit 5) with a labelled diff', async () => {
    const edited = backend();
    cpSync(root, edited, { recursive: true });
    appendFileSync(path.join(edited, 'app/api/v1/modules/smoke_test/services.py'), '# tuned by hand\n');
    const owned = await petsage(['check', '--target', edited]);
    expect(owned.exitCode, owned.stdout).toBe(0);
    expect(owned.stdout).toContain('app/api/v1/modules/smoke_test/services.py: edited by hand since it was generated');
    expect(owned.stdout).toContain('No drift: 1 file edited by hand is yours');
    expect(owned.stdout).not.toContain('-# tuned by hand');
    const handEdit = await petsage(['check', '--target', edited, '--strict']);
    expect(handEdit.exitCode).toBe(5);
    expect(handEdit.stdout).toContain('app/api/v1/modules/smoke_test/services.py: edited by hand since it was generated');
    expect(handEdit.stdout).toContain('--- app/api/v1/modules/smoke_test/services.py (on disk)\n+++ app/api/v1/modules/smoke_test/services.py (fresh render)');
    expect(handEdit.stdout).toContain('-# tuned by hand');
    expect(handEdit.stdout + handEdit.stderr).not.toContain('--force');

    const outdated = backend();
    cpSync(root, outdated, { recursive: true });
    expect((await petsage(['templates', 'eject', 'router.py', '--target', outdated])).exitCode).toBe(0);
    const override = path.join(outdated, '.petsage/templates/router.py.hbs');
    writeFileSync(override, readFileSync(override, 'utf8').replace('"""Answer with', '"""Reply with'));
    const templates = await petsage(['check', '--target', outdated, '--json']);
    expect(templates.exitCode).toBe(5);
    const report = JSON.parse(templates.stdout);
    expect(report.features.map((feature: { feature: string; state: string }) => [feature.feature, feature.state])).toEqual([
      ['pet_profile', 'outdated'],
      ['smoke_test', 'outdated'],
    ]);
  });

  it('check: a deleted generated file is drift, named as missing', async () => {
    const broken = backend();
    cpSync(root, broken, { recursive: true });
    rmSync(path.join(broken, 'app/api/v1/modules/pet_profile/services.py'));
    const result = await petsage(['check', '--target', broken]);
    expect(result.exitCode).toBe(5);
    expect(result.stdout).toContain('pet_profile: drifted');
    expect(result.stdout).toContain('app/api/v1/modules/pet_profile/services.py: missing');
    expect(result.stdout).toContain('smoke_test: current');
  });

  it('check: a lost registration is drift, though every file is intact', async () => {
    const broken = backend();
    cpSync(root, broken, { recursive: true });
    const api = path.join(broken, 'app/api/v1/api.py');
    const registered = readFileSync(api, 'utf8');
    const unregistered = registered.replace(/^api_v1_router\.include_router\(pet_profile_router.*\n/m, '');
    expect(unregistered).not.toBe(registered);
    writeFileSync(api, unregistered);
    const result = await petsage(['check', '--target', broken]);
    expect(result.exitCode).toBe(5);
    expect(result.stdout).toContain('pet_profile: drifted');
    expect(result.stdout).toContain('app/api/v1/api.py: no longer registers the feature');
    expect(result.stdout).toContain('smoke_test: current');
  });

  it('list shows each recorded feature and its state', async () => {
    const result = await petsage(['list', '--target', root, '--json']);
    expect(JSON.parse(result.stdout).features.map((feature: { feature: string; state: string }) => [feature.feature, feature.state])).toEqual([
      ['pet_profile', 'current'],
      ['smoke_test', 'current'],
    ]);
  });

  it('remove refuses an edited file (exit 3), then with --force takes everything out, aggregator bytes included', async () => {
    const target = backend();
    const before = snapshotTree(target);
    expect((await petsage(['feature', '--builtin', 'smoke_test', '--target', target])).exitCode).toBe(0);
    appendFileSync(path.join(target, 'app/api/v1/modules/smoke_test/router.py'), '# mine\n');
    const edited = snapshotTree(target);
    const refused = await petsage(['remove', 'smoke_test', '--target', target]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('app/api/v1/modules/smoke_test/router.py: edited');
    expect(snapshotTree(target)).toEqual(edited);

    const removed = await petsage(['remove', 'smoke_test', '--target', target, '--force']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(snapshotTree(target)).toEqual(before);
  });

  it('remove of one feature of two leaves the other working', async () => {
    const target = backend();
    cpSync(root, target, { recursive: true });
    expect((await petsage(['remove', 'smoke_test', '--target', target])).exitCode).toBe(0);
    const check = await petsage(['check', '--target', target]);
    expect(check.exitCode, check.stdout).toBe(0);
    const again = await petsage(['feature', '--builtin', 'smoke_test', '--target', target]);
    expect(again.exitCode).toBe(0);
    expect((await petsage(['check', '--target', target])).exitCode).toBe(0);
    // Only the order of registration (and so the record's offsets) may differ.
    const generated = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([file]) => file.startsWith('app/api/v1/modules/') || file.startsWith('tests/')));
    expect(generated(snapshotTree(target))).toEqual(generated(snapshotTree(root)));
  });

  it('remove of an unknown feature is exit 2, naming the recorded ones', async () => {
    const result = await petsage(['remove', 'nope', '--target', root]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Recorded features: pet_profile, smoke_test');
  });
});

describe('schema', () => {
  it('prints the JSON Schema derived from the zod schema', async () => {
    const result = await petsage(['schema']);
    expect(result.exitCode).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema).toMatchObject({
      type: 'object',
      required: ['feature', 'description'],
      additionalProperties: false,
      properties: { feature: { type: 'string', maxLength: 32, pattern: '^[a-z][a-z0-9]*(_[a-z0-9]+)*$' }, description: { type: 'string', maxLength: 2000 } },
    });
  });
});

describe('output switches', () => {
  it('--quiet prints nothing on success', async () => {
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend(), '--quiet']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
  });

  it('colours with FORCE_COLOR, never with --no-color or NO_COLOR', async () => {
    const forced = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend()], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(forced.stdout).toContain('\u001b[32mcreated');
    const off = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend(), '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(off.stdout).not.toContain('\u001b[');
  });

  it('colours on a terminal, not through a pipe or into a file', async () => {
    const root = backend();
    // util-linux's script runs the command on a pseudo-terminal.
    const command = `node ${BIN} feature --builtin smoke_test --target ${root} --dry-run`;
    const env = { NO_COLOR: undefined, FORCE_COLOR: undefined };
    const onTerminal = await execa('script', ['-qec', command, '/dev/null'], { env, reject: false });
    expect(onTerminal.exitCode, onTerminal.stdout).toBe(0);
    expect(onTerminal.stdout).toContain('\u001b[32mcreated');
    // A terminal that says it cannot show colour (Emacs' shell, some CI consoles) gets none.
    const dumb = await execa('script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'dumb' }, reject: false });
    expect(dumb.stdout).toContain('created');
    expect(dumb.stdout).not.toContain('\u001b[');
    const piped = await execa('bash', ['-c', `${command} | cat`], { env, reject: false });
    expect(piped.stdout).toContain('created');
    expect(piped.stdout).not.toContain('\u001b[');
    const file = path.join(root, 'out.txt');
    await execa('bash', ['-c', `${command} > ${file}`], { env });
    expect(readFileSync(file, 'utf8')).toContain('created');
    expect(readFileSync(file, 'utf8')).not.toContain('\u001b[');
  });
});

describe('a CI script, end to end', () => {
  it('batches 50 features, checks (0, then 5 after an edit with --strict), and removes them all back to the original bytes', async () => {
    const root = backend();
    const original = snapshotTree(root);
    const names = Array.from({ length: 50 }, (_, i) => `ci_feature_${i}`);
    const ndjson = names.map((name) => JSON.stringify(payload(name))).join('\n');
    const generated = await petsage(['feature', '-', '--target', root, '--json'], { input: Buffer.from(ndjson) });
    expect(generated.exitCode, generated.stderr).toBe(0);
    expect(JSON.parse(generated.stdout).features.map((feature: { feature: string }) => feature.feature)).toEqual(names);

    expect((await petsage(['check', '--target', root, '--json'])).exitCode).toBe(0);
    const service = path.join(root, 'app/api/v1/modules/ci_feature_7/services.py');
    const kept = readFileSync(service);
    appendFileSync(service, '# drift\n');
    expect((await petsage(['check', '--target', root])).exitCode).toBe(0);
    expect((await petsage(['check', '--target', root, '--strict'])).exitCode).toBe(5);
    writeFileSync(service, kept);

    for (const name of names) {
      const removed = await petsage(['remove', name, '--target', root, '--quiet']);
      expect(removed.exitCode, removed.stderr).toBe(0);
    }
    expect(snapshotTree(root)).toEqual(original);
  });
});
