import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Field 22 of /proc/<pid>/stat: the process's start time, read past its command name. */
function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

/** Writes the lock a live run in this test's own process would hold on `root`. */
export function holdLockAs(root: string, pid = process.pid): void {
  const owner = {
    pid,
    boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    pidns: readlinkSync('/proc/self/ns/pid'),
    start: startTime(pid),
    nonce: 'f'.repeat(32),
    since: new Date().toISOString(),
  };
  writeFileSync(path.join(root, '.petsage.lock'), JSON.stringify(owner));
}
