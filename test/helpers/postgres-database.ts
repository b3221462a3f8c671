// `await postgresDatabase()` in an e2e test: a fresh database on the run's PostgreSQL cluster,
// as a SQLAlchemy URL. Import it only in test files whose tests need PostgreSQL: under
// PETSAGE_SKIP_PG=1 (outside CI) every test of such a file is reported as skipped, with the reason.
import { beforeEach, inject } from 'vitest';
import { findPostgresBin, type PostgresCluster } from './postgres.js';
import { postgresPolicy } from './postgres-policy.js';
import { sharedCluster } from './postgres-shared.js';

const policy = postgresPolicy(process.env, findPostgresBin() !== undefined);

// Registered once, when a test file first imports this module, like tmp.ts's cleanup. The
// default reporter shows a skipped test's note only in verbose mode, so the reason is also said
// once per file, where every reporter shows it.
if ('skip' in policy) {
  let said = false;
  beforeEach((context) => {
    if (!said) console.warn(policy.skip);
    said = true;
    context.skip(policy.skip);
  });
}

let cluster: Promise<PostgresCluster> | undefined;

/** A new, empty database of its own: `postgresql+psycopg://postgres@127.0.0.1:<port>/<name>`. */
export async function postgresDatabase(): Promise<string> {
  if ('fail' in policy) throw new Error(policy.fail);
  // A beforeAll runs before the skip above; a database must be asked for in a test or beforeEach.
  if ('skip' in policy) throw new Error(`${policy.skip}; ask for a database in a test or beforeEach, which are skipped, not in beforeAll`);
  const stateDir = inject('postgresState');
  if (!stateDir) throw new Error('postgresDatabase() needs test/helpers/postgres-setup.ts as a vitest globalSetup (test/vitest.config.ts has it)');
  cluster ??= sharedCluster(stateDir);
  return (await cluster).createDatabase();
}
