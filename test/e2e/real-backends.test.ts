// Backends nobody here generated, in the styles of public FastAPI projects, through the built
// binary: what petsage-build must refuse before writing a byte, and why.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { snapshotTree, tempDir } from '../helpers/tmp.js';

/** A fresh copy of a hand-written backend under fixtures/backends/. */
function copyOf(name: string): string {
  const backend = path.join(tempDir(), name);
  cpSync(fixture(`backends/${name}`), backend, { recursive: true });
  return backend;
}

const PETS = fixture('resources/reference/households.json');

describe('a backend pinned to Pydantic 1 (fixtures/backends/pydantic-v1)', () => {
  it('is refused with exit 3 before anything is written, naming each pin, where it is and what the code needs', async () => {
    const backend = copyOf('pydantic-v1');
    const before = snapshotTree(backend);
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain("the backend's dependencies cannot run the code petsage-build generates; nothing was written.");
    expect(result.stderr).toContain('pyproject.toml [project].dependencies: pins pydantic >=1.10,<2, and the generated code needs pydantic >= 2.0');
    expect(result.stderr).toContain('pyproject.toml [project].dependencies: pins fastapi ==0.95.2, and the generated code needs fastapi >= 0.100.0');
    expect(result.stderr).toContain('requirements.txt: pins pydantic ==1.10.13');
    // SQLAlchemy 1.4 is no obstacle to a status feature.
    expect(result.stderr).not.toContain('sqlalchemy');
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('names SQLAlchemy too for a resource, in the JSON report as structured problems', async () => {
    const backend = copyOf('pydantic-v1');
    const before = snapshotTree(backend);
    const result = await petsage(['feature', PETS, '--target', backend, '--json']);
    expect(result.exitCode, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toContainEqual({ code: 'conflict', path: 'requirements.txt', message: 'pins sqlalchemy ==1.4.52, and the generated code needs sqlalchemy >= 2.0: the generated models are SQLAlchemy 2.0 typed models (DeclarativeBase, mapped_column)' });
    expect(snapshotTree(backend)).toEqual(before);
  });

  it('goes through once the pins reach Pydantic 2, so the refusal is about the pins and nothing else', async () => {
    const backend = copyOf('pydantic-v1');
    const pyproject = path.join(backend, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('"fastapi==0.95.2"', '"fastapi>=0.110"').replace('"pydantic>=1.10,<2"', '"pydantic>=2.7"') + '\n[tool.petsage]\npreset = "endpoints"\naggregator = "app/main.py"\nrouter = "app"\npaths.router = "app/routers/{feature}.py"\n');
    writeFileSync(path.join(backend, 'requirements.txt'), 'fastapi==0.115.0\npydantic==2.9.2\n');
    const result = await petsage(['feature', '--builtin', 'smoke_test', '--target', backend]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(backend, 'app/main.py'), 'utf8')).toContain('app.include_router(smoke_test.router, prefix="/api/v1/smoke-test")');
  });
});
