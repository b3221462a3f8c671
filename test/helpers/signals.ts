import { spawn } from 'node:child_process';
import { BIN } from './paths.js';

/** Runs the binary with a `pause:` fault until it says it paused, then sends `signal`. */
export function signalWhenPaused(args: readonly string[], fault: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, PETSAGE_FAULT: fault, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && stderr.includes('petsage-build: paused')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}
