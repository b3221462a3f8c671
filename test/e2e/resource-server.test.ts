import { createServer } from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { postgresDatabase } from '../helpers/postgres-database.js';
import { venvBin } from '../helpers/python-env.mjs';
import { tempDir } from '../helpers/tmp.js';

/**
 * The reference payloads as a real server: a backend from `init` and the two resource features,
 * migrated with Alembic, served by uvicorn on a loopback port; what is created over HTTP is read
 * back identical after the server restarts, on a SQLite file and on PostgreSQL.
 */
const PAYLOADS = ['households.json', 'pet_profiles.json'].map((name) => fixture(`resources/reference/${name}`));
const HOUSEHOLDS = '/api/v1/households/';
const PETS = '/api/v1/pet-profiles/';

/** A port nothing listens on now, on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Server {
  base: string;
  child: ResultPromise;
}

/** Every server a test started, stopped after it whether it passed or not. */
const running = new Set<Server>();

async function stop(server: Server): Promise<void> {
  running.delete(server);
  server.child.kill('SIGTERM');
  const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await server.child;
  clearTimeout(killer);
}

afterEach(async () => {
  await Promise.all([...running].map(stop));
});

/** uvicorn serving the backend's app on DATABASE_URL, once it answers; a port taken meanwhile is tried again. */
async function serve(backend: string, databaseUrl: string): Promise<Server> {
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const child = execa(venvBin('python'), ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: backend,
      env: { DATABASE_URL: databaseUrl },
      reject: false,
      all: true,
    });
    const server: Server = { base: `http://127.0.0.1:${port}`, child };
    running.add(server);
    let exited = false;
    void child.then(() => (exited = true));
    for (let wait = 0; wait < 300 && !exited; wait += 1) {
      try {
        if ((await fetch(`${server.base}/openapi.json`)).ok) return server;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await stop(server);
    const output = String((await child).all);
    if (attempt < 2 && /address already in use/i.test(output)) continue;
    throw new Error(`uvicorn did not start on port ${port}:\n${output}`);
  }
}

/** A JSON request's status and body. */
async function call(server: Server, method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.base}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

describe('the reference resources, served by uvicorn', () => {
  const workspace = tempDir();
  const backend = path.join(workspace, 'backend');

  beforeAll(async () => {
    for (const args of [['init', backend], ['feature', ...PAYLOADS, '--target', backend]]) {
      const result = await petsage(args);
      expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    }
  });

  const databases: [string, () => Promise<string>][] = [
    ['a SQLite file', async () => `sqlite:///${path.join(workspace, 'served.sqlite3')}`],
    ['PostgreSQL', postgresDatabase],
  ];

  it.each(databases)('on %s: a household and a pet created over HTTP are read back identical after a restart', async (_, database) => {
    const url = await database();
    const migrated = await run(venvBin('alembic'), ['upgrade', 'head'], { cwd: backend, env: { DATABASE_URL: url } });
    expect(migrated.exitCode, migrated.stderr).toBe(0);

    let server = await serve(backend, url);
    const household = await call(server, 'POST', HOUSEHOLDS, {
      name: 'The Smiths "\u00e9\u{1F415}"',
      address: '1 Main Street\nSpringfield',
      budget: '1234.50',
      member_since: '2024-02-29T23:30:00+02:00',
      external_ref: '6f1c2a4e-8b7d-4c3e-9a1f-2b3c4d5e6f70',
      access_code: 'SECRET42',
    });
    expect(household.status, JSON.stringify(household.body)).toBe(201);
    const stored = household.body as Record<string, unknown>;
    // Written as stored: in UTC, with all of the decimal's places, and the write-only code kept back.
    expect(stored).toMatchObject({ name: 'The Smiths "\u00e9\u{1F415}"', budget: '1234.50', member_since: '2024-02-29T21:30:00Z', visits: 0 });
    expect(stored).not.toHaveProperty('access_code');
    const pet = await call(server, 'POST', PETS, { name: 'Rex', species: 'dog', birth_date: '2020-05-17', weight_kg: 12.5, household_id: stored.id });
    expect(pet.status, JSON.stringify(pet.body)).toBe(201);
    const storedPet = pet.body as Record<string, unknown>;
    expect(storedPet).toMatchObject({ name: 'Rex', species: 'dog', microchipped: false, household_id: stored.id });
    await stop(server);

    server = await serve(backend, url);
    expect(await call(server, 'GET', `${HOUSEHOLDS}${String(stored.id)}`)).toEqual({ status: 200, body: stored });
    expect(await call(server, 'GET', `${PETS}${String(storedPet.id)}`)).toEqual({ status: 200, body: storedPet });
    expect(await call(server, 'GET', HOUSEHOLDS)).toEqual({ status: 200, body: { items: [stored], total: 1, limit: 10, offset: 0 } });
    expect(await call(server, 'GET', `${PETS}?household_id=${String(stored.id)}`)).toEqual({ status: 200, body: { items: [storedPet], total: 1, limit: 20, offset: 0 } });
    // The foreign key holds across the restart: the household is still referred to.
    expect((await call(server, 'DELETE', `${HOUSEHOLDS}${String(stored.id)}`)).status).toBe(409);
    await stop(server);
  });
});
