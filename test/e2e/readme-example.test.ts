import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { petsage, run } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { venvBin } from '../helpers/python-env.mjs';
import { readmeBlock } from '../helpers/readme-example.mjs';
import { tempDir } from '../helpers/tmp.js';

/** The README's commands, without their comments: each line's words. */
const commands = () => readmeBlock('commands').split('\n').map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);

describe("the README's opening example", () => {
  it('generates a resource whose tests pass, migrates, and serves it', async () => {
    const workspace = tempDir();
    writeFileSync(path.join(workspace, 'pets.json'), readmeBlock('payload'));
    const lines = commands();
    // Everything up to the install: the tool's own commands, run through the built binary.
    let output = '';
    for (const line of lines.filter((text) => text.startsWith('npx petsage-build '))) {
      const result = await petsage(line.split(/\s+/).slice(2), { cwd: workspace });
      expect(result.exitCode, `${line}\n${result.stderr}`).toBe(0);
      output += `${result.stdout}\n`;
    }
    // The routes it says it made are the ones the app serves (checked below).
    const routes = /^Endpoints: POST, GET (\S+); GET, PATCH, DELETE (\S+) \(served by app\.main:app\)$/m.exec(output);
    expect(routes, output).not.toBeNull();
    const backend = path.join(workspace, 'demo-backend');
    // The pinned test environment stands in for the virtualenv and `pip install -e ".[test]"`.
    expect(lines).toContain('cd demo-backend && python3 -m venv .venv && . .venv/bin/activate');
    expect(lines).toContain('pip install -e ".[test]"');
    expect(lines).toContain('python -m pytest');
    const tests = await run(venvBin('python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: backend });
    expect(tests.exitCode, tests.stdout).toBe(0);
    expect(lines).toContain('alembic upgrade head');
    const migrate = await run(venvBin('alembic'), ['upgrade', 'head'], { cwd: backend });
    expect(migrate.exitCode, migrate.stderr).toBe(0);

    const serve = lines.find((line) => line.startsWith('uvicorn '))!;
    const [, appTarget] = serve.split(/\s+/);
    const request = /POST (\S+) (\{.*\})/.exec(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'))!;
    const port = 18000 + Math.floor(Math.random() * 1000);
    const server = execa(venvBin('python'), ['-m', 'uvicorn', appTarget!, '--port', String(port), '--host', '127.0.0.1'], { cwd: backend, reject: false });
    try {
      let response: Response | undefined;
      for (let attempt = 0; attempt < 100 && response === undefined; attempt += 1) {
        try {
          response = await fetch(`http://127.0.0.1:${port}${request[1]}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request[2] });
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(response?.status).toBe(201);
      const openapi = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      expect(Object.keys(openapi.paths[routes![1]!]!).sort()).toEqual(['get', 'post']);
      expect(Object.keys(openapi.paths[routes![2]!]!).sort()).toEqual(['delete', 'get', 'patch']);
      expect(await response!.json()).toMatchObject({ id: 1, ...JSON.parse(request[2]!) });
    } finally {
      server.kill();
      await server;
    }
  }, 300_000);
});
