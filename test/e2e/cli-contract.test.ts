/**
 * What CI reads: the JSON report's structure for every kind of outcome, and the CLI's manners
 * (a closed pipe, --quiet, help), on the built binary.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { BIN } from '../helpers/paths.js';
import { backendCopies, tempDir } from '../helpers/tmp.js';

const workspace = tempDir('petsage-contract-');
const backends = backendCopies(workspace);
const generated = path.join(workspace, 'generated');

beforeAll(async () => {
  expect((await petsage(['init', backends.pristine])).exitCode).toBe(0);
  expect((await petsage(['init', generated])).exitCode).toBe(0);
  expect((await petsage(['feature', '--builtin', 'smoke_test', '--target', generated])).exitCode).toBe(0);
});

const report = async (args: string[], input?: string) => {
  const result = await petsage([...args, '--json'], input === undefined ? {} : { input: Buffer.from(input) });
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) };
};

describe('the JSON report', () => {
  it('a config error: the file, then each key with its own path; the hint apart from the message', async () => {
    const root = backends.copy();
    const pyproject = path.join(root, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('preset = "modules"', 'preset = "modules"\napi_prefix = "api"\naggregater = "x"'));
    const { exitCode, report: json } = await report(['feature', '--builtin', 'smoke_test', '--target', root]);
    expect(exitCode).toBe(2);
    expect(json.target).toBe(root);
    expect(json.errors).toEqual([
      { code: 'invalid_input', path: 'pyproject.toml', message: 'the petsage config is invalid.' },
      { code: 'invalid_input', path: 'tool.petsage.aggregater', message: 'unknown key; did you mean "aggregator"?' },
      expect.objectContaining({ code: 'invalid_input', path: 'tool.petsage.api_prefix' }),
    ]);
  });

  it('a conflict: every file is reported, the one in the way as a conflict, with the hint apart', async () => {
    const root = backends.copy();
    mkdirSync(path.join(root, 'tests/api/v1'), { recursive: true });
    writeFileSync(path.join(root, 'tests/api/v1/test_smoke_test.py'), '# mine\n');
    const { exitCode, report: json } = await report(['feature', '--builtin', 'smoke_test', '--target', root]);
    expect(exitCode).toBe(3);
    const files = json.features[0].files as { path: string; action: string }[];
    expect(files.find((file) => file.path === 'tests/api/v1/test_smoke_test.py')?.action).toBe('conflict');
    expect(files.filter((file) => file.action === 'conflict')).toHaveLength(1);
    // Not petsage-build's file: --force is not offered for it.
    expect(json.errors[0]).toMatchObject({ code: 'conflict', hint: 'Move or delete the files petsage-build did not generate, then run again.' });
    expect(json.errors[1]).toEqual({ code: 'conflict', path: 'tests/api/v1/test_smoke_test.py', message: 'exists and differs, and petsage-build did not generate it' });
    // Nothing was written: what the run would have written, its record and the aggregator included, is skipped.
    expect(files.filter((file) => file.action !== 'conflict').map((file) => file.action)).toEqual(files.filter((file) => file.action !== 'conflict').map(() => 'skipped'));
    expect(files.map((file) => file.path)).toContain('.petsage/features/smoke_test.json');
    expect(json.features[0].aggregator.action).toBe('skipped');
  });

  it('--dry-run says so', async () => {
    const { exitCode, report: json } = await report(['feature', '--builtin', 'smoke_test', '--target', backends.copy(), '--dry-run']);
    expect(exitCode).toBe(0);
    expect(json.dryRun).toBe(true);
  });

  it('remove reports the aggregator apart from the feature\'s files, as a generate does', async () => {
    const root = path.join(workspace, 'to-remove');
    await execa('cp', ['-r', generated, root]);
    const { exitCode, report: json } = await report(['remove', 'smoke_test', '--target', root]);
    expect(exitCode).toBe(0);
    expect(json.features[0].aggregator).toMatchObject({ path: 'app/api/v1/api.py', action: 'updated' });
    expect(json.features[0].files.map((file: { path: string }) => file.path)).not.toContain('app/api/v1/api.py');
  });

  it('a usage error is an error in the report: the command, the option at fault as its path, the hint apart', async () => {
    const root = backends.copy();
    const { exitCode, report: json } = await report(['feature', '--target', root, '--bogus=1']);
    expect(exitCode).toBe(2);
    expect(json.command).toBe('feature');
    expect(json.target).toBe(root);
    expect(json.errors).toEqual([{ code: 'invalid_input', path: '--bogus', message: "unknown option '--bogus=1'", hint: 'Run `petsage-build feature --help` for its arguments and options.' }]);
    const eject = await report(['templates', 'eject', '-z']);
    expect(eject.report.command).toBe('templates eject');
    expect(eject.report.errors[0]).toMatchObject({ path: '-z', hint: 'Run `petsage-build templates eject --help` for its arguments and options.' });
    // An option commander never reached still names the target; a refused value names its option.
    const refused = await report(['update', '--conflicts=maybe', '--target', root]);
    expect(refused.report.target).toBe(root);
    expect(refused.report.errors[0]).toMatchObject({ path: '--conflicts', hint: 'Run `petsage-build update --help` for its arguments and options.' });
    expect((await report(['feature', '--wait', 'abc'])).report.errors[0]).toMatchObject({ path: '--wait', message: "option '--wait <seconds>' argument 'abc' is invalid. Give a number of seconds, 0 or more." });
    // A near miss is suggested in the hint, not in the message, and printed after the error.
    const typo = await petsage(['feature', '--targt', root, '--json']);
    expect(JSON.parse(typo.stdout).errors).toEqual([{ code: 'invalid_input', path: '--targt', message: "unknown option '--targt'", hint: 'Did you mean --target? Run `petsage-build feature --help` for its arguments and options.' }]);
    expect(typo.stderr).toContain("error unknown option '--targt'\nDid you mean --target? Run `petsage-build feature --help`");
    const unknown = await report(['frob']);
    expect(unknown.report.command).toBeNull();
    expect(unknown.report.errors).toEqual([{ code: 'invalid_input', message: "unknown command 'frob'", hint: 'Run `petsage-build --help` for its arguments and options.' }]);
    // No command at all: the help, which lists the commands, then the error; nothing of commander's own.
    const none = await report([]);
    expect(none.exitCode).toBe(2);
    expect(none.report.errors).toEqual([{ code: 'invalid_input', message: 'no command given', hint: 'Name one of the commands listed above.' }]);
    const bare = await petsage([]);
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr).toContain('Commands:\n');
    expect(bare.stderr.endsWith('error no command given\nName one of the commands listed above.')).toBe(true);
    expect((await report(['templates'])).report.errors).toEqual([{ code: 'invalid_input', message: 'no command given to templates', hint: 'Name one of the commands listed above.' }]);
  });

  it('check and list refuse a folder that is not a backend (exit 2), and pass a backend with nothing recorded', async () => {
    const empty = path.join(workspace, 'not-a-backend');
    mkdirSync(empty);
    for (const command of ['check', 'list']) {
      const refused = await report([command, '--target', empty]);
      expect(refused.exitCode, command).toBe(2);
      expect(refused.report.errors[0]).toMatchObject({ path: '--target', message: `${empty} is not a backend: it has no pyproject.toml and no layout petsage-build knows.` });
      expect((await report([command, '--target', backends.copy()])).exitCode, command).toBe(0);
    }
  });

  it('an invalid payload names the target it was meant for', async () => {
    const root = backends.copy();
    const { exitCode, report: json } = await report(['feature', '-', '--target', root], '{"feature": "Bad Name", "description": "x"}');
    expect(exitCode).toBe(2);
    expect(json.command).toBe('feature');
    expect(json.target).toBe(root);
    expect(json.errors.map((error: { path: string }) => error.path)).toContain('feature');
  });

  it('check reports each drifted feature as a drift error', async () => {
    const root = path.join(workspace, 'drifted');
    await execa('cp', ['-r', generated, root]);
    writeFileSync(path.join(root, 'app/api/v1/modules/smoke_test/services.py'), '# edited\n');
    const owned = await report(['check', '--target', root]);
    expect(owned.exitCode).toBe(0);
    expect(owned.report.errors).toEqual([]);
    expect(owned.report.features[0]).toMatchObject({ feature: 'smoke_test', state: 'edited', drift: false });
    const { exitCode, report: json } = await report(['check', '--target', root, '--strict']);
    expect(exitCode).toBe(5);
    expect(json.errors).toEqual([{ code: 'drift', path: 'smoke_test', message: 'drifted: edited' }]);
    rmSync(path.join(root, 'app/api/v1/modules/smoke_test/README.md'));
    const missing = await report(['check', '--target', root]);
    expect(missing.exitCode).toBe(5);
    expect(missing.report.errors).toEqual([{ code: 'drift', path: 'smoke_test', message: 'drifted: missing' }]);
  });
});

describe('manners', () => {
  it('a reader that closes the pipe early gets no stack trace, and the run keeps its exit code', async () => {
    const root = backends.copy();
    const ndjson = Array.from({ length: 60 }, (_, i) => JSON.stringify({ feature: `piped_${i}`, description: 'x' })).join('\n');
    const piped = await execa('bash', ['-o', 'pipefail', '-c', `node ${BIN} feature - --target ${root} --dry-run | head -1`], { input: ndjson, reject: false });
    expect(piped.exitCode).toBe(0);
    expect(piped.stderr).not.toContain('EPIPE');
    const list = await execa('bash', ['-o', 'pipefail', '-c', `node ${BIN} list --target ${generated} | head -0`], { reject: false });
    expect(list.exitCode).toBe(0);
    expect(list.stderr).toBe('');
  });

  it('-q and --quiet hide progress but not what check finds or what list lists', async () => {
    const root = path.join(workspace, 'quiet');
    await execa('cp', ['-r', generated, root]);
    writeFileSync(path.join(root, 'app/api/v1/modules/smoke_test/services.py'), '# edited\n');
    for (const flag of ['-q', '--quiet']) {
      const result = await petsage(['check', '--target', root, '--strict', flag]);
      expect(result.exitCode).toBe(5);
      expect(result.stdout).toContain('app/api/v1/modules/smoke_test/services.py: edited by hand');
      expect(result.stdout).not.toContain('Drift found');
      // What list lists is what it was asked for: shown quiet too.
      const list = await petsage(['list', '--target', root, flag]);
      expect(list.exitCode).toBe(0);
      expect(list.stdout).toMatch(/^smoke_test +edited$/m);
    }
  });

  it('a batch over 20 lists 20 endpoints and says how many more', async () => {
    const ndjson = Array.from({ length: 23 }, (_, i) => JSON.stringify({ feature: `many_${i}`, description: 'x' })).join('\n');
    const result = await petsage(['feature', '-', '--target', backends.copy()], { input: Buffer.from(ndjson) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.match(/^Endpoint: /gm)).toHaveLength(20);
    expect(result.stdout).toContain('... and 3 more endpoints.');
  });

  it.each(['feature', 'init', 'check', 'remove', 'forget', 'list', 'config', 'schema', 'templates eject'])('%s --help shows the global flags and an example, and no "(default: false)"', async (command) => {
    const result = await petsage([...command.split(' '), '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Global Options:');
    expect(result.stdout).toContain('--json');
    expect(result.stdout).toMatch(/Example:\n {2}\$ petsage-build /);
    expect(result.stdout).not.toContain('(default: false)');
  });
});
