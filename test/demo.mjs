// `npm run demo`: the main job end to end. It initialises a backend in a temp directory,
// generates the README's example resource (pets.json) and the built-in smoke_test, runs the
// generated tests with real FastAPI, creates the tables with Alembic, then serves the app, stores
// a pet over HTTP and reads it back.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePythonEnv, venvBin } from './helpers/python-env.mjs';
import { readmeBlock } from './helpers/readme-example.mjs';

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

/** A request and its answer, printed as a reader would see them with curl. */
async function call(method, url, body) {
  const response = await fetch(url, { method, ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const answer = await response.json();
  console.log(`${method} ${url}${body ? ` ${JSON.stringify(body)}` : ''}\n${response.status} ${JSON.stringify(answer, null, 2)}`);
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}`);
  return answer;
}

step('Python environment (created once from test/python-requirements.txt)');
ensurePythonEnv();

const workspace = mkdtempSync(path.join(tmpdir(), 'petsage-demo-'));
const backend = path.join(workspace, 'demo-backend');

step('Initialise a FastAPI backend');
run(process.execPath, [BIN, 'init', backend], workspace);

step("Generate the README's example resource, pets.json: model, migration, CRUD endpoints, tests");
writeFileSync(path.join(workspace, 'pets.json'), readmeBlock('payload'));
run(process.execPath, [BIN, 'feature', 'pets.json', '--target', backend], workspace);

step('Generate the built-in smoke_test feature: a status endpoint');
run(process.execPath, [BIN, 'feature', '--builtin', 'smoke_test', '--target', backend], workspace);

step('Run the generated tests with real FastAPI and pytest');
run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], backend);

step('Create the tables with Alembic (in db.sqlite3, the default DATABASE_URL)');
run(venvBin('alembic'), ['upgrade', 'head'], backend);

step('Serve the app, store a pet and read it back');
const port = await freePort();
const server = spawn(venvBin('python'), ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port)], {
  cwd: backend,
  stdio: 'ignore',
});
try {
  const api = `http://127.0.0.1:${port}/api/v1`;
  await fetchWhenUp(`${api}/smoke-test/`);
  const pet = await call('POST', `${api}/pets/`, { name: 'Rex', species: 'dog' });
  await call('GET', `${api}/pets/${pet.id}`);
  await call('GET', `${api}/pets/?species=dog`);
  await call('GET', `${api}/smoke-test/`);
} finally {
  server.kill();
}
console.log(`\nThe backend is kept at ${backend}`);
