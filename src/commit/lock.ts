import { linkSync, lstatSync, readFileSync, readlinkSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { requireLazily } from '../lazy-import.js';
import path from 'node:path';
import { conflict, ioFailure } from '../errors.js';
import { newRunId } from './journal.js';
import { once } from '../data.js';
import { readNoFollow } from './safe-fs.js';

export const LOCK_FILE = '.petsage.lock';
const POLL_MS = 50;
/** How often the owner touches its lock, and how old an untouched lock of an unseen owner may get. */
const HEARTBEAT_MS = 2_000;
const STALE_MS = 10_000;

/**
 * Who holds a lock. A pid alone is not enough: in containers, pids repeat (the next run in a
 * fresh PID namespace gets the same pid as the killed one) and a committed lock can name any
 * pid, 1 included. So an owner is its boot, its PID namespace, its pid and that process's start
 * time; a process with the same pid but another start time is another process.
 */
interface Owner {
  pid: number;
  /** The kernel's boot id, or the host name where there is none. */
  boot: string;
  /** `pid:[4026531836]`, or '' where namespaces cannot be read. */
  pidns: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), or ''. */
  start: string;
  nonce: string;
}

/** node:os only where the kernel has no boot id (not Linux): loading it is about 1 ms of every run. */
const hostName = () => requireLazily<typeof import('node:os')>('node:os').hostname();

const readText = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
};

/** Field 22 of /proc/<pid>/stat, read past the command name, which may hold spaces and parentheses. */
function startTime(pid: number): string {
  const stat = readText(`/proc/${pid}/stat`);
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

function me(nonce: string): Owner {
  return {
    pid: process.pid,
    boot: readText('/proc/sys/kernel/random/boot_id') || `host:${hostName()}`,
    pidns: pidNamespace(),
    start: startTime(process.pid),
    nonce,
  };
}

function parseOwner(text: string): Owner | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { pid, boot, pidns, start, nonce } = data as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
  if (typeof boot !== 'string' || typeof pidns !== 'string' || typeof start !== 'string' || typeof nonce !== 'string') return undefined;
  return { pid: pid as number, boot, pidns, start, nonce };
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the lock's owner may still be running. Another boot: no. Our own PID namespace: only
 * if that pid is alive with the same start time (pid 1, or our own pid, reused, is someone
 * else). Another namespace on this boot, which we cannot see into: while it keeps touching the
 * lock (its heartbeat).
 */
function ownerMayBeAlive(owner: Owner, self: Owner, mtimeMs: number): boolean {
  if (owner.boot !== self.boot) return false;
  if (owner.nonce === self.nonce) return true;
  if (owner.pidns !== '' && owner.pidns === self.pidns) {
    if (owner.pid === self.pid) return false;
    if (owner.start !== '' && self.start !== '') return startTime(owner.pid) === owner.start;
    return processExists(owner.pid);
  }
  if (owner.pidns === '' && self.pidns === '') return processExists(owner.pid);
  return Date.now() - mtimeMs < STALE_MS;
}

/** The lock's text, read without following a link; '' when it cannot be read. */
function readLock(file: string): string {
  try {
    return readNoFollow(file, LOCK_FILE)?.toString('utf8') ?? '';
  } catch {
    return '';
  }
}

/** Still the very lock that was judged stale (not one a faster run created since)? */
function unchanged(file: string, state: { ino: number; mtimeMs: number }): boolean {
  try {
    const stat = lstatSync(file);
    return stat.ino === state.ino && stat.mtimeMs === state.mtimeMs;
  } catch {
    return false;
  }
}

type LockState = { kind: 'free' } | { kind: 'held'; owner: Owner | undefined } | { kind: 'stale'; why: string; ino: number; mtimeMs: number };

/**
 * What is at the lock's path. Anything that is not a well-formed lock of a live owner (empty,
 * unparsable, a directory, a link, a dead or reused pid, another boot) is stale and taken over.
 */
function inspect(file: string, self: () => Owner): LockState {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return { kind: 'free' };
  }
  const stale = (why: string): LockState => ({ kind: 'stale', why, ino: stat.ino, mtimeMs: stat.mtimeMs });
  if (!stat.isFile()) return stale(stat.isDirectory() ? 'it is a directory' : 'it is not a plain file');
  const text = readLock(file);
  const owner = parseOwner(text);
  if (!owner) return stale(text === '' ? 'it is empty or cannot be read' : 'it is not a lock this tool wrote');
  return ownerMayBeAlive(owner, self(), stat.mtimeMs) ? { kind: 'held', owner } : stale(`its owner, pid ${owner.pid}, is gone`);
}

/**
 * Creates the lock with its content in one step: written to a fresh temp file, then hard-linked
 * to the lock's name, which fails if anything is there (and never follows a link). So no run ever
 * sees a half-written lock, and a full disk leaves nothing behind.
 */
function tryCreate(root: string, file: string, content: string, nonce: string): boolean {
  const temp = path.join(root, `${LOCK_FILE}.${nonce}.tmp`);
  try {
    writeFileSync(temp, content, { flag: 'wx' });
    linkSync(temp, file);
    return true;
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code !== 'EEXIST') throw ioFailure(`cannot create the lock in ${root} (${code}); nothing was written.`, { path: LOCK_FILE });
    return false;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Never created (a full disk): nothing to remove.
    }
  }
}

/** The lock this process holds, touched now and then so runs in other PID namespaces see it alive. */
let held: { file: string; touched: number } | undefined;

/**
 * Touches the held lock when its last touch is older than the heartbeat. Long steps call it
 * (the commit's loop, `--verify` on a timer): a run shorter than the stale limit needs none,
 * and a timer at start would cost every run the loading of Node's timers.
 */
export function keepLockAlive(): void {
  if (!held || Date.now() - held.touched < HEARTBEAT_MS) return;
  held.touched = Date.now();
  try {
    const now = new Date();
    utimesSync(held.file, now, now);
  } catch {
    // The lock is gone or not ours any more; the release checks.
  }
}

/** Keeps the held lock alive on a timer while `work` runs: for steps that wait on other processes. */
export async function whileKeepingLockAlive<T>(work: () => Promise<T>): Promise<T> {
  const timer = setInterval(keepLockAlive, HEARTBEAT_MS / 2);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Past the wait: exit 3, naming the lock's owner, for writers and readers alike. */
function lockHeld(root: string, state: LockState, waitSeconds: number) {
  const who = state.kind === 'held' && state.owner ? ` (pid ${state.owner.pid})` : '';
  return conflict(`another petsage-build run${who} holds ${LOCK_FILE}; waited ${waitSeconds} s.`, { path: root, hints: ['Pass --wait <seconds> to wait longer.'] });
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));

/**
 * For commands that only read (`check`, `list`): waits while a live run holds the target's lock,
 * so that they do not read a commit half done, or take its journal for a killed run's. Never
 * creates the lock, so they still run where the target cannot be written. A stale lock is no
 * run: what it left is read as it is. Past the wait, exit 3.
 */
export async function waitForWriters(root: string, waitSeconds: number): Promise<void> {
  const file = path.join(root, LOCK_FILE);
  // Who this process is, only once there is a lock to judge: most checks find none.
  const self = once(() => me(newRunId()));
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const state = inspect(file, self);
    if (state.kind !== 'held') return;
    if (Date.now() >= deadline) throw lockHeld(root, state, waitSeconds);
    await pause();
  }
}

/**
 * Runs `work` holding the target's lock, so concurrent runs on one target take turns. `--wait`
 * waits for a live run to release it; a stale lock is taken over at once, and said so. Past the
 * wait, exit 3.
 */
export async function withTargetLock<T>(root: string, options: { wait: number; warn: (message: string) => void }, work: () => Promise<T>): Promise<T> {
  const { wait: waitSeconds, warn } = options;
  const file = path.join(root, LOCK_FILE);
  const self = me(newRunId());
  const mine = JSON.stringify({ ...self, since: new Date().toISOString() });
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (tryCreate(root, file, mine, self.nonce)) break;
    const state = inspect(file, () => self);
    if (state.kind === 'stale') {
      if (unchanged(file, state)) {
        warn(`${LOCK_FILE}: took over a stale lock (${state.why}).`);
        rmSync(file, { recursive: true, force: true });
      }
      continue;
    }
    if (Date.now() >= deadline) throw lockHeld(root, state, waitSeconds);
    await pause();
  }
  held = { file, touched: Date.now() };
  try {
    return await work();
  } finally {
    held = undefined;
    if (parseOwner(readLock(file))?.nonce === self.nonce) unlinkSync(file);
  }
}
