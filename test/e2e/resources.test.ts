import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** The payloads the hand-written reference backend (fixtures/resources/reference) was built from. */
const REFERENCE = ['households.json', 'pet_profiles.json'].map((name) => fixture(`resources/reference/${name}`));

describe('a payload with a resource block', () => {
  it('validates, and is refused with exit 2 while this version cannot generate it, writing nothing', async () => {
    const backend = path.join(tempDir(), 'backend');
    expect((await petsage(['init', backend])).exitCode).toBe(0);
    const before = snapshotTree(backend);
    const result = await petsage(['feature', ...REFERENCE, '--target', backend, '--json']);
    expect(result.exitCode, result.stderr).toBe(2);
    const report = JSON.parse(result.stdout) as { errors: { path?: string; message: string }[] };
    expect(report.errors.flatMap((error) => error.path ?? [])).toEqual(['payloads[0].resource', 'payloads[1].resource']);
    expect(result.stderr).toContain('Remove the resource block to generate the status endpoint.');
    expect(snapshotTree(backend)).toEqual(before);
  });
});
