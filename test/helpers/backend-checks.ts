// The checks a generated backend must pass, with the pinned toolchain of .venv-test: formatting,
// lint (with FastAPI's rules), types, its own tests, and migrations that create exactly its tables.
import path from 'node:path';
import { expect } from 'vitest';
import { run } from './cli.js';
import { venvBin } from './python-env.mjs';

/** Runs one of .venv-test's tools in the backend; it must exit 0. Its standard output. */
export async function passes(backend: string, tool: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await run(venvBin(tool), args, { cwd: backend, env });
  expect(result.exitCode, `${tool} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/**
 * What ruff checks beyond its defaults: unused arguments (the full-stack template selects them),
 * FastAPI's rules, isort, and pyupgrade's, which hold generated code to the backend's Python
 * floor (`datetime.UTC` from 3.11, say).
 */
export const RUFF_RULES = 'ARG,FAST,I,UP';

/** The same with line length, which status features keep (a resource's long payload text may not fit). */
export const RUFF_RULES_WITH_LINE_LENGTH = `${RUFF_RULES},E501`;

export const PYTEST = ['-m', 'pytest', '-q', '-W', 'error', '-p', 'no:cacheprovider'];

/**
 * ruff format --check, ruff check (+ARG, FAST, I, UP), mypy, then on SQLite and, given a way to make fresh
 * PostgreSQL databases, on PostgreSQL too: pytest, and alembic upgrade head then check (each on
 * a database of its own, as the tests leave their tables behind).
 */
export async function checkBackend(backend: string, freshPostgres?: () => Promise<string>): Promise<void> {
  await passes(backend, 'ruff', ['format', '--check', '.']);
  await passes(backend, 'ruff', ['check', '--extend-select', RUFF_RULES, '.']);
  await passes(backend, 'mypy', []);
  await passes(backend, 'python', PYTEST);
  if (freshPostgres) await passes(backend, 'python', PYTEST, { TEST_DATABASE_URL: await freshPostgres() });
  for (const url of [`sqlite:///${path.join(backend, 'check.sqlite3')}`, ...(freshPostgres ? [await freshPostgres()] : [])]) {
    await passes(backend, 'alembic', ['upgrade', 'head'], { DATABASE_URL: url });
    await passes(backend, 'alembic', ['check'], { DATABASE_URL: url });
  }
}
