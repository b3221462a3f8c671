// A throwaway PostgreSQL cluster from the Debian package, for tests that must prove generated
// code on a real database: its own data and socket directories in a temp dir, TCP on 127.0.0.1
// only, trust authentication, and removed whole by stop().
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { INSTALL_HINT } from './postgres-policy.js';

/** Where Debian's postgresql-<version> packages put each major version's programs. */
export const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** Not UTC on purpose: code that stores or compares times must not lean on the server's zone. */
export const SERVER_TIMEZONE = 'America/New_York';
/** PostgreSQL refuses to run as root; the Debian package creates this system user. */
const SERVER_USER = 'postgres';
const SUPERUSER = 'postgres';
const HOST = '127.0.0.1';
const PORT_ATTEMPTS = 5;

/** What it takes to reach and stop a cluster, from this process or another (JSON-safe). */
export interface ClusterInfo {
  /** The temp dir holding data/, socket/ and server.log; removed by stop(). */
  root: string;
  /** The version's bin directory, found without the PATH. */
  bin: string;
  port: number;
  /** Who runs the server programs: undefined for this process's own user. */
  user?: string;
}

export interface PostgresCluster {
  readonly info: ClusterInfo;
  /** The SQLAlchemy URL of database `db`. */
  url(db: string): string;
  /** Creates a new, uniquely named database and returns its SQLAlchemy URL. */
  createDatabase(): Promise<string>;
  /** Fast shutdown, then the temp dir goes; safe to call on a cluster that is not running (see stopCluster). */
  stop(): Promise<void>;
}

/** The bin directory of the highest PostgreSQL version installed, or undefined. */
export function findPostgresBin(root = DEBIAN_POSTGRES_ROOT): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name) && existsSync(path.join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

const onPath = (name: string) => (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(path.join(dir, name)));

/** The command line that runs one of the server's programs as the cluster's user. */
function serverCommand(info: Pick<ClusterInfo, 'bin' | 'user'>, program: string, args: string[]): [string, string[]] {
  const file = path.join(info.bin, program);
  if (info.user === undefined) return [file, args];
  // runuser is util-linux's; setpriv (util-linux too, in more minimal images) where it is missing.
  if (onPath('runuser')) return ['runuser', ['-u', info.user, '--', file, ...args]];
  return ['setpriv', [`--reuid=${info.user}`, `--regid=${info.user}`, '--init-groups', '--', file, ...args]];
}

/** Options for the server's programs: run from the cluster's root, a cwd its user can read. */
const serverOptions = (info: ClusterInfo) => ({ cwd: info.root, reject: false, env: { LC_ALL: 'C' } }) as const;

const asServerUser = (info: ClusterInfo, program: string, args: string[]) => execa(...serverCommand(info, program, args), serverOptions(info));
const asServerUserNow = (info: ClusterInfo, program: string, args: string[]) => execaSync(...serverCommand(info, program, args), serverOptions(info));

/** The uid and gid of `user`, to hand it the cluster's directories. */
async function idsOf(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all(['-u', '-g'].map((flag) => execa('id', [flag, user], { reject: false })));
  if (uid!.exitCode !== 0 || gid!.exitCode !== 0) {
    throw new Error(`PostgreSQL refuses to run as root and there is no "${user}" user to run it as (the Debian package creates it: apt-get install -y postgresql)`);
  }
  return { uid: Number(uid!.stdout), gid: Number(gid!.stdout) };
}

/** A port free on 127.0.0.1 right now; the server may still lose it to another process, hence the retries. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;
const tail = (text: string) => text.trim().split('\n').slice(-15).join('\n');
const logOf = (root: string) => (existsSync(path.join(root, 'server.log')) ? readFileSync(path.join(root, 'server.log'), 'utf8') : '');

/** initdb, then the settings every start uses; only the port is given per start, as it may change. */
async function initCluster(info: ClusterInfo): Promise<void> {
  const data = path.join(info.root, 'data');
  const init = await asServerUser(info, 'initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  if (init.exitCode !== 0) throw new Error(`initdb failed (exit ${init.exitCode ?? init.code}):\n${tail(`${init.stdout}\n${init.stderr}`)}`);
  // Appended settings win over initdb's own (the last one read counts). Durability is off: the
  // cluster is thrown away, and fsync per commit only slows the tests down.
  appendFileSync(path.join(data, 'postgresql.conf'), [
    '',
    '# petsage tests (test/helpers/postgres.ts): a throwaway cluster',
    `listen_addresses = ${quoted(HOST)}`,
    `unix_socket_directories = ${quoted(path.join(info.root, 'socket'))}`,
    `timezone = ${quoted(SERVER_TIMEZONE)}`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    '',
  ].join('\n'));
}

/** Starts the server on `port`; false when another process took the port first. */
async function startOn(info: ClusterInfo): Promise<boolean> {
  // The log is appended to across attempts: only this attempt's lines say why it failed.
  const before = logOf(info.root).length;
  const start = await asServerUser(info, 'pg_ctl', ['-D', path.join(info.root, 'data'), '-l', path.join(info.root, 'server.log'), '-w', '-t', '60', '-o', `-p ${info.port}`, 'start']);
  if (start.exitCode === 0) return true;
  const log = logOf(info.root).slice(before);
  if (/could not bind|address already in use/i.test(log)) return false;
  throw new Error(`pg_ctl start failed (exit ${start.exitCode ?? start.code}):\n${tail(`${start.stdout}\n${start.stderr}\n${log}`)}`);
}

/** The cluster described by `info`, started by this process or another. */
export function postgresCluster(info: ClusterInfo): PostgresCluster {
  const url = (db: string) => `postgresql+psycopg://${SUPERUSER}@${HOST}:${info.port}/${db}`;
  return {
    info,
    url,
    async createDatabase() {
      // The pid and random bytes keep names apart across test files running in parallel.
      const name = `petsage_${process.pid}_${randomBytes(6).toString('hex')}`;
      const created = await execa(path.join(info.bin, 'createdb'), ['-h', HOST, '-p', String(info.port), '-U', SUPERUSER, name], { reject: false, env: { PGCONNECT_TIMEOUT: '10' } });
      if (created.exitCode !== 0) throw new Error(`createdb ${name} failed (exit ${created.exitCode ?? created.code}): ${created.stderr}`);
      return url(name);
    },
    async stop() {
      stopCluster(info);
    },
  };
}

/**
 * Stops the cluster (fast shutdown) and removes its directory, synchronously, so that it can run
 * in a process's 'exit' handler; does nothing to the server if it is not running.
 */
export function stopCluster(info: ClusterInfo): void {
  const data = path.join(info.root, 'data');
  const pidFile = path.join(data, 'postmaster.pid');
  try {
    if (!existsSync(pidFile)) return;
    if (asServerUserNow(info, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']).exitCode === 0) return;
    if (asServerUserNow(info, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']).exitCode === 0) return;
    // Last resort, so that no server outlives the run: the postmaster's pid is the file's first line.
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch (error) {
    // The server went away on its own meanwhile.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ESRCH') throw error;
  } finally {
    rmSync(info.root, { recursive: true, force: true });
  }
}

/**
 * Starts a new cluster of the highest PostgreSQL version installed. `dir` is where its temp dir
 * goes (the OS's by default); `cluster.json` there describes it from the moment it exists, so a
 * process that outlives this one can stop it even if this one dies while starting it.
 */
export async function startPostgres(options: { dir?: string } = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error(`PostgreSQL is not installed (no ${DEBIAN_POSTGRES_ROOT}/<version>/bin/postgres): ${INSTALL_HINT}`);
  const root = mkdtempSync(path.join(options.dir ?? tmpdir(), 'petsage-pg-'));
  const user = process.getuid?.() === 0 ? SERVER_USER : undefined;
  const info: ClusterInfo = { root, bin, port: 0, ...(user === undefined ? {} : { user }) };
  const describe = () => writeFileSync(path.join(root, 'cluster.json'), JSON.stringify(info));
  describe();
  const cluster = postgresCluster(info);
  try {
    for (const dir of ['data', 'socket']) mkdirSync(path.join(root, dir), { mode: 0o700 });
    if (user !== undefined) {
      const { uid, gid } = await idsOf(user);
      for (const dir of ['.', 'data', 'socket']) chownSync(path.join(root, dir), uid, gid);
    }
    await initCluster(info);
    for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
      info.port = await freePort();
      describe();
      if (await startOn(info)) return cluster;
    }
    throw new Error(`PostgreSQL could not bind a free port on ${HOST} in ${PORT_ATTEMPTS} attempts`);
  } catch (error) {
    stopCluster(info);
    throw error;
  }
}
