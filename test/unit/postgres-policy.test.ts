import { describe, expect, it } from 'vitest';
import { postgresPolicy } from '../helpers/postgres-policy.js';

// A missing PostgreSQL fails the PostgreSQL tests, saying how to install it; they are skipped only
// when a developer sets PETSAGE_SKIP_PG=1, and CI runs them whatever is set.
describe('the PostgreSQL tests', () => {
  it('run where PostgreSQL is installed, locally and in CI', () => {
    expect(postgresPolicy({}, true)).toEqual({ run: true });
    expect(postgresPolicy({ CI: 'true' }, true)).toEqual({ run: true });
    expect(postgresPolicy({ CI: 'true', PETSAGE_SKIP_PG: '1' }, true)).toEqual({ run: true });
  });

  it('fail locally without PostgreSQL, saying how to install it and how to skip on purpose', () => {
    for (const env of [{}, { PETSAGE_SKIP_PG: '0' }, { PETSAGE_SKIP_PG: '' }, { CI: 'false' }]) {
      const policy = postgresPolicy(env, false);
      expect(policy, JSON.stringify(env)).toHaveProperty('fail');
      expect('fail' in policy && policy.fail).toContain('apt-get install -y postgresql');
      expect('fail' in policy && policy.fail).toContain('PETSAGE_SKIP_PG=1');
    }
  });

  it('are skipped, with the reason, only when PETSAGE_SKIP_PG=1 is set outside CI', () => {
    for (const installed of [false, true]) {
      expect(postgresPolicy({ PETSAGE_SKIP_PG: '1' }, installed)).toEqual({ skip: expect.stringContaining('PETSAGE_SKIP_PG=1') });
    }
  });

  it('fail in CI without PostgreSQL even when PETSAGE_SKIP_PG=1 is set', () => {
    const policy = postgresPolicy({ CI: 'true', PETSAGE_SKIP_PG: '1' }, false);
    expect('fail' in policy && policy.fail).toMatch(/apt-get install -y postgresql.*PETSAGE_SKIP_PG is ignored in CI/s);
  });
});
