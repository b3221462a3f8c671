import { defineConfig } from 'vitest/config';

// The e2e layer: the built binary on temp backends, then the generated code under the pinned
// Python toolchain, which the global setup creates (the unit layer has its own config, so it
// never waits for it), and a PostgreSQL cluster shared by the run, started by the first test
// that asks for a database (test/helpers/postgres-database.ts) and stopped at the end.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/helpers/python-env.mjs', 'test/helpers/postgres-setup.ts'],
    // End-to-end tests run pytest, ruff and mypy on generated backends.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
