// vitest global setup of the e2e layer: the state directory where test files share one
// PostgreSQL cluster (see postgres-shared.ts), and what stops that cluster and removes everything
// at the end, whether the tests passed, failed, were interrupted or never asked for a database.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopSharedClusters } from './postgres-shared.js';

export default function setup(project: TestProject) {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'petsage-pg-run-'));
  // The cluster's own directory inside is the server user's; it must be able to reach it.
  chmodSync(stateDir, 0o711);
  project.provide('postgresState', stateDir);
  // On Ctrl-C or SIGTERM vitest calls process.exit() without running global teardowns; 'exit'
  // handlers still run (synchronously, as the stop is), so the server does not outlive the run.
  const stop = () => stopSharedClusters(stateDir);
  process.once('exit', stop);
  return () => {
    process.off('exit', stop);
    stop();
  };
}
