// One PostgreSQL cluster for a whole e2e run, started by the first test that asks for a database
// (a run with no such test never pays its few seconds) and stopped by the global setup's
// teardown. Test files run in separate workers, so they meet in a state directory the global
// setup makes: a lock file while one of them starts the cluster, then `current.json` for the rest.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ClusterInfo, type PostgresCluster, postgresCluster, startPostgres, stopCluster } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The state directory of test/helpers/postgres-setup.ts. */
    postgresState: string;
  }
}

const LOCK_WAIT_MS = 180_000;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the start lock, taking it over from a worker that died holding it. */
async function lock(file: string): Promise<() => void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Empty for a moment after another worker created it; gone if it was just released.
    let holder = 0;
    try {
      holder = Number(readFileSync(file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (holder > 0 && !alive(holder)) rmSync(file, { force: true });
    else if (Date.now() > deadline) throw new Error(`waited ${LOCK_WAIT_MS / 1000} s for process ${holder} to start PostgreSQL`);
    else await sleep(100);
  }
}

/** The run's cluster, started here if no test file started it yet. */
export async function sharedCluster(stateDir: string): Promise<PostgresCluster> {
  const current = path.join(stateDir, 'current.json');
  const unlock = await lock(path.join(stateDir, 'start.lock'));
  try {
    if (existsSync(current)) return postgresCluster(JSON.parse(readFileSync(current, 'utf8')) as ClusterInfo);
    // Created inside the state directory, so the teardown finds it even if this worker dies now.
    const cluster = await startPostgres({ dir: stateDir });
    writeFileSync(`${current}.tmp`, JSON.stringify(cluster.info));
    renameSync(`${current}.tmp`, current);
    return cluster;
  } finally {
    unlock();
  }
}

/** Stops every cluster started under `stateDir`, running, half-started or failed alike, and removes it. */
export function stopSharedClusters(stateDir: string): void {
  if (!existsSync(stateDir)) return;
  try {
    for (const name of readdirSync(stateDir)) {
      const described = path.join(stateDir, name, 'cluster.json');
      if (existsSync(described)) stopCluster(JSON.parse(readFileSync(described, 'utf8')) as ClusterInfo);
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
