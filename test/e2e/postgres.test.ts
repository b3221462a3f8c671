import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { startPostgres } from '../helpers/postgres.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { venvBin } from '../helpers/python-env.mjs';

// The harness the CRUD tests stand on: databases from the run's shared cluster, reached with the
// pinned SQLAlchemy and psycopg of .venv-test. When PostgreSQL is missing these tests fail, saying
// how to install it; only PETSAGE_SKIP_PG=1, outside CI, skips them.

/** What the pinned SQLAlchemy sees through the URL: `create` first makes a table in it. */
const INSPECT = `
import json, sys
from sqlalchemy import create_engine, text
url, action = sys.argv[1], sys.argv[2]
engine = create_engine(url)
with engine.begin() as connection:
    if action == "create":
        connection.execute(text("CREATE TABLE widgets (id serial PRIMARY KEY, made timestamptz NOT NULL DEFAULT now())"))
    print(json.dumps({
        "driver": engine.dialect.driver,
        "database": connection.execute(text("SELECT current_database()")).scalar_one(),
        "timezone": connection.execute(text("SHOW TimeZone")).scalar_one(),
        "widgets": connection.execute(text("SELECT to_regclass('widgets') IS NOT NULL")).scalar_one(),
    }))
engine.dispose()
`;

interface Seen {
  driver: string;
  database: string;
  timezone: string;
  widgets: boolean;
}

async function inspect(url: string, action: 'create' | 'look' = 'look'): Promise<Seen> {
  const result = await run(venvBin('python'), ['-c', INSPECT, url, action]);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Seen;
}

/** Running: a process that exited but waits to be reaped by init (a zombie, state Z) is not. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

const databaseOf = (url: string) => new URL(url.replace(/^postgresql\+psycopg:/, 'postgresql:')).pathname.slice(1);

describe('the PostgreSQL harness', () => {
  it('creates distinct databases in parallel, which psycopg reaches on a server that is not in UTC', async () => {
    const urls = await Promise.all([postgresDatabase(), postgresDatabase()]);
    for (const url of urls) expect(url).toMatch(/^postgresql\+psycopg:\/\/postgres@127\.0\.0\.1:\d+\/\w+$/);
    expect(new Set(urls.map(databaseOf)).size).toBe(2);

    const seen = await Promise.all(urls.map((url) => inspect(url)));
    expect(seen.map(({ database }) => database)).toEqual(urls.map(databaseOf));
    for (const { driver, timezone } of seen) {
      expect(driver).toBe('psycopg');
      expect(timezone).toBe('America/New_York');
      expect(timezone).not.toMatch(/UTC|GMT|Zulu|Universal/i);
    }
  });

  it('keeps a table made in one database out of another', async () => {
    const [first, second] = await Promise.all([postgresDatabase(), postgresDatabase()]);
    expect((await inspect(first!, 'create')).widgets).toBe(true);
    expect((await inspect(second!)).widgets).toBe(false);
    expect((await inspect(first!)).widgets).toBe(true);
  });

  it('startPostgres() on its own: a cluster whose stop() shuts the server down and removes its directory', async () => {
    const cluster = await startPostgres();
    let stopped = false;
    try {
      const url = await cluster.createDatabase();
      expect(url).toContain(`:${cluster.info.port}/`);
      expect((await inspect(url)).timezone).toBe('America/New_York');
      // The postmaster's pid is the first line of its pid file.
      const postmaster = Number(readFileSync(path.join(cluster.info.root, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      expect(alive(postmaster)).toBe(true);
      await cluster.stop();
      stopped = true;
      expect(alive(postmaster)).toBe(false);
      expect(existsSync(cluster.info.root)).toBe(false);
      const gone = await run(venvBin('python'), ['-c', INSPECT, url, 'look']);
      expect(gone.exitCode).not.toBe(0);
    } finally {
      if (!stopped) await cluster.stop();
    }
  });
});
