/**
 * Issue 13's proof of ownership, on the built binary with the real ruff and Python of .venv-test,
 * in the default preset and the flat `endpoints` one: the user edits a router, a test and a
 * README and runs the project's formatter and linter, and `check` stays green listing the edits;
 * a changed prefix is drift; an aggregator reformatted at line length 100 is not, and `remove`
 * takes the registrations back out of it, leaving the original as ruff itself formats it and an
 * app that imports. Then `init --force` on hand-written backends changes no existing byte.
 */
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { venvBin } from '../helpers/python-env.mjs';
import { PYTEST } from '../helpers/backend-checks.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

// Names long enough that init's line length (88) wraps their import and include, and 100 joins them.
const STATUS = 'vaccination_reminder_log';
const RESOURCE = 'clinic_appointment_slots';
const PAYLOADS = [
  { feature: STATUS, description: 'Reminders of vaccinations due.' },
  { feature: RESOURCE, description: 'Appointment slots of the clinic.', resource: { name: 'clinic_appointment_slot', fields: { label: { type: 'str', max_length: 40, example: 'Morning' } } } },
];

/** Where each preset puts what the test edits, written out from the README's layout table. */
const LAYOUTS = {
  modules: {
    aggregator: 'app/api/v1/api.py',
    router: `app/api/v1/modules/${STATUS}/router.py`,
    test: `tests/api/v1/test_${STATUS}.py`,
    readme: `app/api/v1/modules/${RESOURCE}/README.md`,
  },
  endpoints: {
    aggregator: 'app/api/v1/api.py',
    router: `app/api/v1/endpoints/${STATUS}.py`,
    test: `tests/api/v1/test_${STATUS}.py`,
    readme: `docs/features/${RESOURCE}.md`,
  },
};

/** Runs a tool of .venv-test in the backend; it must succeed. */
async function tool(backend: string, name: string, args: string[]) {
  const result = await run(venvBin(name), args, { cwd: backend });
  expect(result.exitCode, `${name} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

async function succeeds(args: string[]) {
  const result = await petsage(args);
  expect(result.exitCode, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout + result.stderr;
}

// The user's edits, unformatted on purpose, so that the project's ruff format has work to do.
const ROUTE = `\n\n@router.get("/ping", operation_id="${STATUS}_ping")\ndef ping() -> dict[str,str]:\n    return {'ping':'pong'}\n`;
const TEST = `\n\ndef test_ping_by_hand() -> None:\n    response = TestClient(app).get(FEATURE_URL + "ping")\n    assert response.json() == {'ping':'pong'}\n`;
const NOTES = '\nSlots open at nine; the front desk books them by phone too.\n';

describe.each(Object.entries(LAYOUTS))('the %s preset', (preset, files) => {
  it('edits, the project formatter and linter keep check green; a changed prefix does not; a reformatted aggregator is removed from cleanly', async () => {
    const backend = path.join(tempDir(), 'backend');
    await succeeds(['init', backend, '--preset', preset]);
    const aggregator = path.join(backend, files.aggregator);
    const original = readFileSync(aggregator, 'utf8');
    const payloads = path.join(path.dirname(backend), 'payloads.json');
    writeFileSync(payloads, JSON.stringify(PAYLOADS));
    await succeeds(['feature', payloads, '--target', backend]);
    expect(readFileSync(aggregator, 'utf8')).toContain(`include_router(\n    ${STATUS}_router, prefix=`);

    appendFileSync(path.join(backend, files.router), ROUTE);
    appendFileSync(path.join(backend, files.test), TEST);
    appendFileSync(path.join(backend, files.readme), NOTES);
    await tool(backend, 'ruff', ['format', '--no-cache', '.']);
    await tool(backend, 'ruff', ['check', '--fix', '--no-cache', '.']);
    expect(readFileSync(path.join(backend, files.router), 'utf8')).toContain('return {"ping": "pong"}');

    const owned = await petsage(['check', '--target', backend]);
    expect(owned.exitCode, owned.stdout + owned.stderr).toBe(0);
    for (const file of [files.router, files.test, files.readme]) expect(owned.stdout).toContain(`${file}: edited by hand since it was generated`);
    expect(owned.stdout).toContain('No drift: 3 files edited by hand are yours');
    // The edits work: the user's route answers and their test passes beside the generated ones.
    expect(await tool(backend, 'python', [...PYTEST, files.test])).toMatch(/passed/);

    const registered = readFileSync(aggregator, 'utf8');
    writeFileSync(aggregator, registered.replace(`prefix="/vaccination-reminder-log"`, 'prefix="/reminders"'));
    const moved = await petsage(['check', '--target', backend]);
    expect(moved.exitCode, moved.stdout).toBe(5);
    expect(moved.stdout).toContain(`${files.aggregator}: mounts the feature at "/reminders", not at "/vaccination-reminder-log"`);

    writeFileSync(aggregator, registered);
    await tool(backend, 'ruff', ['format', '--no-cache', '--line-length', '100', files.aggregator]);
    const reformatted = readFileSync(aggregator, 'utf8');
    expect(reformatted).not.toBe(registered);
    expect(reformatted).toContain(`api_v1_router.include_router(${STATUS}_router, prefix="/vaccination-reminder-log")\n`);
    const check = await petsage(['check', '--target', backend]);
    expect(check.exitCode, check.stdout).toBe(0);

    // The status feature holds the user's edits: remove deletes them only when forced.
    await succeeds(['remove', RESOURCE, '--target', backend, '--force']);
    await succeeds(['remove', STATUS, '--target', backend, '--force']);
    // ruff's own formatting of the original, beside it so that the project's config applies.
    const copy = files.aggregator.replace(/\.py$/, '_original.py');
    writeFileSync(path.join(backend, copy), original);
    await tool(backend, 'ruff', ['format', '--no-cache', '--line-length', '100', copy]);
    const expected = readFileSync(path.join(backend, copy), 'utf8');
    rmSync(path.join(backend, copy));
    expect(expected).not.toContain(STATUS);
    expect(readFileSync(aggregator, 'utf8')).toBe(expected);
    await tool(backend, 'python', ['-c', 'import app.main']);
    expect((await petsage(['check', '--target', backend])).stdout).toContain('No recorded features');
  });
});

describe('init --force on a hand-written backend', () => {
  it.each(['custom', 'own-db'])('%s: creates only missing files, lists those left alone, and changes no existing byte', async (name) => {
    const backend = path.join(tempDir(), name);
    cpSync(fixture(`backends/${name}`), backend, { recursive: true });
    const before = snapshotTree(backend);
    const refused = await petsage(['init', backend]);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toContain('--force to create only the missing files');
    expect(snapshotTree(backend)).toEqual(before);
    const output = await succeeds(['init', backend, '--force']);
    expect(output).toContain('pyproject.toml');
    expect(output).toMatch(/Left alone \(\d+ existing files? that differs? from init's; --overwrite replaces them\): .*pyproject\.toml/);
    const after = snapshotTree(backend);
    for (const [file, bytes] of Object.entries(before)) expect(after[file], file).toBe(bytes);
    expect(Object.keys(after).length).toBeGreaterThan(Object.keys(before).length);
  });
});
