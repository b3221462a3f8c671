import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/python-env.mjs'],
    // End-to-end tests run pytest, ruff and mypy on generated backends.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
