// Whether the PostgreSQL tests run, are skipped or fail, decided in one place. A missing
// PostgreSQL must never pass silently: in CI the tests always run, and locally they are skipped
// only when a developer asks for it with PETSAGE_SKIP_PG=1.

export const INSTALL_HINT = 'install it with `apt-get install -y postgresql` (Debian, Ubuntu)';

export type PostgresPolicy = { run: true } | { skip: string } | { fail: string };

/** CI sets CI=true; an empty, "0" or "false" CI is a developer's machine. */
const isCI = (env: NodeJS.ProcessEnv) => env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
const skipAsked = (env: NodeJS.ProcessEnv) => ['1', 'true'].includes((env.PETSAGE_SKIP_PG ?? '').toLowerCase());

export function postgresPolicy(env: NodeJS.ProcessEnv, installed: boolean): PostgresPolicy {
  const missing = 'PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/postgres)';
  if (isCI(env)) {
    if (installed) return { run: true };
    const ignored = skipAsked(env) ? ' PETSAGE_SKIP_PG is ignored in CI.' : '';
    return { fail: `${missing}, and in CI the PostgreSQL tests always run: ${INSTALL_HINT} (.ci/run does).${ignored}` };
  }
  if (skipAsked(env)) return { skip: 'PETSAGE_SKIP_PG=1: the PostgreSQL tests are skipped on purpose' };
  if (installed) return { run: true };
  return { fail: `${missing}: ${INSTALL_HINT}, or set PETSAGE_SKIP_PG=1 to skip the PostgreSQL tests on purpose` };
}
