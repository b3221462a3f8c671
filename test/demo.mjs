// `npm run demo`: the main job end to end on the built-in payload. It initialises a backend
// in a temp directory, generates smoke_test, runs the generated tests with real FastAPI, then
// serves the app and prints the new endpoint's response.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePythonEnv, venvBin } from './helpers/python-env.mjs';

const BIN = fileURLToPath(new URL('../bin/petsage-build.cjs', import.meta.url));
const step = (text) => console.log(`\n== ${text}`);

function run(command, args, cwd) {
  console.log(`$ ${[path.basename(command), ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${path.basename(command)} exited ${result.status}`);
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function fetchWhenUp(url, attempts = 100) {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      return await (await fetch(url)).json();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer`);
}

step('Python environment (created once from test/python-requirements.txt)');
ensurePythonEnv();

const workspace = mkdtempSync(path.join(tmpdir(), 'petsage-demo-'));
const backend = path.join(workspace, 'demo-backend');

step('Initialise a FastAPI backend');
run(process.execPath, [BIN, 'init', backend], workspace);

step('Generate the built-in smoke_test feature');
run(process.execPath, [BIN, 'feature', '--builtin', 'smoke_test', '--target', backend], workspace);

step('Run the generated tests with real FastAPI and pytest');
run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], backend);

step('Serve the app and call the new endpoint');
const port = await freePort();
const server = spawn(venvBin('python'), ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port)], {
  cwd: backend,
  stdio: 'ignore',
});
try {
  const url = `http://127.0.0.1:${port}/api/v1/smoke-test/`;
  const body = await fetchWhenUp(url);
  console.log(`GET ${url}\n${JSON.stringify(body, null, 2)}`);
} finally {
  server.kill();
}
console.log(`\nThe backend is kept at ${backend}`);
