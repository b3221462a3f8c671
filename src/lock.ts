import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { conflict, ioFailure } from './errors.js';

export const LOCK_FILE = '.petsage.lock';
const POLL_MS = 50;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): { text: string; pid: number } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    return { text, pid: Number(JSON.parse(text).pid) };
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` holding the target's lock, so concurrent runs on one target take turns. A lock
 * whose owner process is gone is stale and taken over; otherwise the run waits up to
 * `waitSeconds` (0: fail at once) and then exits 3.
 */
export async function withTargetLock<T>(root: string, waitSeconds: number, work: () => Promise<T>): Promise<T> {
  const file = path.join(root, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, since: new Date().toISOString() });
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code !== 'EEXIST') throw ioFailure(`${LOCK_FILE}: cannot create the lock in ${root} (${code}); nothing was written.`);
    }
    const owner = readOwner(file);
    if (owner && !isAlive(owner.pid) && readOwner(file)?.text === owner.text) {
      unlinkSync(file);
      continue;
    }
    if (Date.now() >= deadline) {
      throw conflict(`${root}: another petsage-build run${owner ? ` (pid ${owner.pid})` : ''} holds ${LOCK_FILE}; waited ${waitSeconds} s.`, [
        'Pass --wait <seconds> to wait longer.',
      ]);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
  }
  try {
    return await work();
  } finally {
    if (readOwner(file)?.text === mine) unlinkSync(file);
  }
}
