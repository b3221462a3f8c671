/**
 * What a commit to the target can make a run do. Each case plants what an attacker with commit
 * access could (records, journal, lock, helper files, config, overrides) into a fresh backend
 * with a `decoy/` folder beside it, runs the built binary, and checks that the decoy's tree is
 * unchanged, that nothing of it was printed, and that the run failed with the documented code.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { petsage } from '../helpers/cli.js';
import { BIN } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const workspace = tempDir('petsage-threats-');
const pristine = path.join(workspace, 'pristine');
const SECRET = 'DECOY-SECRET-7f3a';
const RECORD = '.petsage/features/smoke_test.json';
const AGGREGATOR = 'app/api/v1/api.py';

beforeAll(async () => {
  expect((await petsage(['init', pristine])).exitCode).toBe(0);
  expect((await petsage(['feature', '--builtin', 'smoke_test', '--target', pristine])).exitCode).toBe(0);
});

/** Every path under `dir`, without following links, with its bytes or its link target. */
function treeState(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      const relative = path.relative(dir, full);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) state[relative] = `link -> ${readlinkSync(full)}`;
      else if (stat.isDirectory()) {
        state[`${relative}/`] = '';
        walk(full);
      } else state[relative] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return state;
}

interface Arena {
  root: string;
  decoy: string;
}

let arenas = 0;
/** A fresh copy of the generated backend at `<case>/target`, with `<case>/decoy` beside it. */
function arena(): Arena {
  arenas += 1;
  const dir = path.join(workspace, `case-${arenas}`);
  const root = path.join(dir, 'target');
  const decoy = path.join(dir, 'decoy');
  cpSync(pristine, root, { recursive: true });
  mkdirSync(path.join(decoy, 'dir'), { recursive: true });
  mkdirSync(path.join(decoy, 'templates'), { recursive: true });
  writeFileSync(path.join(decoy, 'victim.txt'), `${SECRET} victim\n`);
  writeFileSync(path.join(decoy, 'dir', 'inner.txt'), `${SECRET} inner\n`);
  writeFileSync(path.join(decoy, 'templates', 'router.py.hbs'), `${SECRET} template\n`);
  return { root, decoy };
}

/** Runs the binary against the arena; the decoy must come out unchanged and unprinted. */
async function attack(a: Arena, args: readonly string[], env: Record<string, string> = {}) {
  const before = treeState(a.decoy);
  const result = await petsage([...args, '--target', a.root], { env });
  expect(treeState(a.decoy)).toEqual(before);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  return result;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2));
const editRecord = (a: Arena, edit: (record: Record<string, any>) => void) => {
  const record = readJson(path.join(a.root, RECORD));
  edit(record);
  writeJson(path.join(a.root, RECORD), record);
};
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('1. a planted journal is never replayed (exit 3, nothing touched)', () => {
  /** The shapes earlier versions wrote, and the current one with a guessed directory identity. */
  const journals = (a: Arena) => {
    const outside = path.relative(a.root, path.join(a.decoy, 'victim.txt'));
    const main = readFileSync(path.join(a.root, 'app/main.py'));
    return {
      'an entry outside the target': { phase: 'renaming', createdDirs: [], entries: [{ path: outside }] },
      'an absolute path': { phase: 'renaming', createdDirs: [], entries: [{ path: path.join(a.decoy, 'victim.txt') }] },
      'app/main.py as a created file': { phase: 'renaming', createdDirs: [], entries: [{ path: 'app/main.py', temp: 'app/.main.py.x.tmp' }] },
      'a directory outside to remove': { phase: 'staging', createdDirs: [path.relative(a.root, path.join(a.decoy, 'dir'))], entries: [] },
      'an overwrite from a planted backup': { phase: 'renaming', createdDirs: [], entries: [{ path: outside, temp: 'evil.tmp', backup: 'evil.bak' }] },
      'the current format, hashes right, directory guessed': {
        version: 2,
        run: 'a'.repeat(32),
        root: '2049:1234:0',
        phase: 'renaming',
        createdDirs: [],
        entries: [{ path: 'app/main.py', sha256: sha(main), backup: false }],
      },
    };
  };

  it.each([
    ['feature', ['feature', '--builtin', 'smoke_test']],
    ['remove', ['remove', 'smoke_test']],
    ['remove of an unknown feature', ['remove', 'anything']],
    ['templates eject', ['templates', 'eject']],
  ])('%s', async (_, args) => {
    for (const [name, journal] of Object.entries(journals(arena()))) {
      const a = arena();
      writeFileSync(path.join(a.root, 'evil.bak'), 'print("attacker")\n');
      writeJson(path.join(a.root, '.petsage-journal.json'), journal);
      const before = treeState(a.root);
      const result = await attack(a, args);
      expect(result.exitCode, `${name}: ${result.stderr}`).toBe(3);
      expect(result.stderr).toContain('.petsage-journal.json: an interrupted commit left a journal that cannot be replayed; nothing was changed.');
      expect(treeState(a.root), name).toEqual(before);
    }
  });

  it('a journal that is a link out of the target is refused, not read', async () => {
    const a = arena();
    symlinkSync(path.join(a.decoy, 'victim.txt'), path.join(a.root, '.petsage-journal.json'));
    const result = await attack(a, ['feature', '--builtin', 'smoke_test']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('.petsage-journal.json: is a symbolic link');
  });
});

describe('2. helper files: a link planted at any helper name is never written through', () => {
  /** Runs the binary as pid 2 of a fresh PID namespace, as in a container, where pids are predictable. */
  const inContainer = (args: readonly string[]) =>
    execa('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', '"$@"; exit $?', 'sh', process.execPath, BIN, ...args], { reject: false, env: { NO_COLOR: '1' } });

  /** Links to the victim at every helper name the files could get from a pid, in their folders. */
  const plantLinks = (a: Arena, files: readonly string[]) => {
    const victim = path.join(a.decoy, 'victim.txt');
    symlinkSync(victim, path.join(a.root, '.petsage-journal.json.tmp'));
    for (const file of files) {
      for (let pid = 1; pid <= 64; pid += 1) {
        for (const kind of ['tmp', 'bak']) symlinkSync(victim, path.join(a.root, path.dirname(file), `.${path.basename(file)}.petsage-${pid}.${kind}`));
      }
    }
  };
  const moduleFiles = ['schemas.py', 'services.py', 'router.py', '__init__.py', 'README.md'].map((name) => `app/api/v1/modules/smoke_test/${name}`);

  it.each([
    ['templates eject', ['templates', 'eject'], ['.petsage/templates/router.py.hbs']],
    ['feature --force over an edited file', ['feature', '--builtin', 'smoke_test', '--force'], [AGGREGATOR, ...moduleFiles]],
    ['remove', ['remove', 'smoke_test'], [AGGREGATOR, RECORD, ...moduleFiles, 'tests/api/v1/test_smoke_test.py']],
  ])('%s, with links at the names a pid would give', async (_, args, files) => {
    const a = arena();
    mkdirSync(path.join(a.root, '.petsage/templates'), { recursive: true });
    plantLinks(a, files);
    if (args[0] === 'feature') writeFileSync(path.join(a.root, 'app/api/v1/modules/smoke_test/services.py'), '# edited\n');
    const before = treeState(a.decoy);
    const result = await inContainer([...args, '--target', a.root]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(treeState(a.decoy)).toEqual(before);
  });

  it('init --force into a directory with a planted journal temp link', async () => {
    const a = arena();
    const fresh = path.join(path.dirname(a.root), 'fresh');
    mkdirSync(fresh);
    symlinkSync(path.join(a.decoy, 'victim.txt'), path.join(fresh, '.petsage-journal.json.tmp'));
    const before = treeState(a.decoy);
    const result = await petsage(['init', fresh, '--force']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(treeState(a.decoy)).toEqual(before);
  });
});

describe('3. tampered records (exit 3, nothing read, printed, written or deleted)', () => {
  const outsidePath = (a: Arena) => path.relative(a.root, path.join(a.decoy, 'victim.txt'));

  it.each([
    ['check', ['check']],
    ['list --json', ['list', '--json']],
    ['remove', ['remove', 'smoke_test']],
    ['remove --force', ['remove', 'smoke_test', '--force']],
    ['feature', ['feature', '--builtin', 'smoke_test']],
  ])('%s with a record naming a file outside, /proc/self/environ, app/main.py or pyproject.toml', async (_, args) => {
    const a0 = arena();
    for (const bad of [outsidePath(a0), '/proc/self/environ', 'app/main.py', 'pyproject.toml']) {
      const a = arena();
      editRecord(a, (record) => {
        record.files[0].path = bad;
      });
      const before = treeState(a.root);
      const result = await attack(a, args, { PETSAGE_TEST_TOKEN: SECRET });
      expect(result.exitCode, `${bad}: ${result.stderr}`).toBe(3);
      expect(result.stderr).toContain(`${RECORD}: is not a valid petsage-build record; nothing was changed.`);
      expect(result.stderr).toContain(`files[0].path: ${JSON.stringify(bad)} is not a file this feature generates`);
      expect(treeState(a.root)).toEqual(before);
    }
  });

  it('list --json prints no hash of a file outside', async () => {
    const a = arena();
    editRecord(a, (record) => {
      record.files[0].path = outsidePath(a);
    });
    const result = await attack(a, ['list', '--json']);
    expect(result.stdout).not.toContain(sha(`${SECRET} victim\n`));
    expect(JSON.parse(result.stdout).errors[0].code).toBe('conflict');
  });

  it('check does not render overrides from a folder outside, by path or by link', async () => {
    const a = arena();
    editRecord(a, (record) => {
      record.blueprint.templates = path.relative(a.root, path.join(a.decoy, 'templates'));
    });
    expect((await attack(a, ['check'])).exitCode).toBe(3);
    const b = arena();
    symlinkSync(path.join(b.decoy, 'templates'), path.join(b.root, '.petsage/templates'));
    const result = await attack(b, ['check']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('.petsage/templates: is a symbolic link');
  });

  it('check refuses an override file that is a link out of the project', async () => {
    const a = arena();
    mkdirSync(path.join(a.root, '.petsage/templates'));
    symlinkSync(path.join(a.decoy, 'templates/router.py.hbs'), path.join(a.root, '.petsage/templates/router.py.hbs'));
    const result = await attack(a, ['check']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('router.py.hbs: in the template overrides is not a plain file');
  });

  it('a record whose blueprint plans app/main.py (a feature named main) is refused', async () => {
    const a = arena();
    const record = readJson(path.join(a.root, RECORD));
    record.payload.feature = 'main';
    record.blueprint.paths.schema = 'app/{feature}.py';
    record.files = record.files.map((file: { path: string }) => (file.path.endsWith('schemas.py') ? { path: 'app/main.py', sha256: sha(readFileSync(path.join(a.root, 'app/main.py'))) } : file));
    writeJson(path.join(a.root, '.petsage/features/main.json'), record);
    const before = treeState(a.root);
    const result = await attack(a, ['remove', 'main']);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toContain('would generate app/main.py, which is the app module');
    expect(treeState(a.root)).toEqual(before);
  });

  describe('aggregator.added must be this feature\'s registration', () => {
    const security = 'SECRET_KEY = "keep me"\n\n\ndef check_token(token: str) -> bool:\n    return token == SECRET_KEY\n';

    it('remove does not cut from another file the record names', async () => {
      const a = arena();
      writeFileSync(path.join(a.root, 'app/security.py'), security);
      editRecord(a, (record) => {
        record.aggregator.file = 'app/security.py';
        record.aggregator.added = [{ offset: 0, text: 'SECRET_KEY = "keep me"\n' }];
      });
      const result = await attack(a, ['remove', 'smoke_test', '--force']);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain('aggregator.file: must be the blueprint\'s aggregator');
      expect(readFileSync(path.join(a.root, 'app/security.py'), 'utf8')).toBe(security);
    });

    it('nor when the record\'s blueprint names that file as its aggregator', async () => {
      const a = arena();
      writeFileSync(path.join(a.root, 'app/security.py'), security);
      editRecord(a, (record) => {
        record.blueprint.aggregator = 'app/security.py';
        record.aggregator.file = 'app/security.py';
        record.aggregator.added = [{ offset: security.indexOf('    return'), text: '    return token == SECRET_KEY\n' }];
      });
      const before = treeState(a.root);
      const result = await attack(a, ['remove', 'smoke_test', '--force']);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain("is not this feature's registration; nothing was removed.");
      expect(treeState(a.root)).toEqual(before);
    });

    it.each([
      ['the router definition', (api: string) => api.slice(api.indexOf('api_v1_router = '), api.indexOf('\n', api.indexOf('api_v1_router = ')) + 1)],
      ['the FastAPI import', (api: string) => api.slice(api.indexOf('from fastapi'), api.indexOf('\n', api.indexOf('from fastapi')) + 1)],
    ])('remove and a re-run refuse a record that says %s was added', async (_, pick) => {
      for (const args of [['remove', 'smoke_test'], ['feature', '--builtin', 'smoke_test']]) {
        const a = arena();
        const api = readFileSync(path.join(a.root, AGGREGATOR), 'utf8');
        const text = pick(api);
        expect(text).not.toBe('');
        editRecord(a, (record) => {
          record.aggregator.added = [...record.aggregator.added, { offset: api.indexOf(text), text }];
        });
        const before = treeState(a.root);
        const result = await attack(a, args);
        expect(result.exitCode, result.stderr).toBe(3);
        expect(result.stderr).toContain(`${RECORD}: what it says was added to ${AGGREGATOR} is not this feature's registration`);
        expect(treeState(a.root)).toEqual(before);
      }
    });
  });
});

describe('4. config values never reach generated code unchecked (exit 2, nothing written)', () => {
  const withConfig = (a: Arena, toml: string) => {
    const file = path.join(a.root, 'pyproject.toml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[tool.petsage]\npreset = "modules"\n');
    writeFileSync(file, text.replace('[tool.petsage]\npreset = "modules"\n', `[tool.petsage]\npreset = "modules"\n${toml}\n`));
  };

  it.each([
    ['api_prefix closing a docstring', 'api_prefix = "/api\\"\\"\\"\\nimport os; os.system(\\"touch pwned\\")\\n\\"\\"\\""', 'tool.petsage.api_prefix'],
    ['app with a newline', 'app = "app.main:app\\nimport os"', 'tool.petsage.app'],
    ['app outside the project', 'app = "os:system"', 'tool.petsage.app'],
    ['a path with a dash', 'paths.router = "app/my-mods/{feature}/router.py"\npaths.init = "app/my-mods/{feature}/__init__.py"', 'tool.petsage.paths.router'],
    ['two artifacts at one path', 'paths.service = "app/api/v1/modules/{feature}/schemas.py"', 'tool.petsage.paths.service'],
    ['the test at the record path', 'paths.test = ".petsage/features/{feature}.json"', 'tool.petsage.paths.test'],
    ['the readme at the init', 'paths.readme = "app/api/v1/modules/{feature}/__init__.py"', 'tool.petsage.paths.readme'],
    ['a backslash', 'paths.test = "tests\\\\test_{feature}.py"', 'tool.petsage.paths.test'],
    ['source_root src with paths outside it', 'source_root = "src"', 'tool.petsage.aggregator'],
    ['an api_prefix without a leading slash', 'api_prefix = "api/v1"', 'tool.petsage.api_prefix'],
    ['a constructor key', 'constructor = "x"', 'tool.petsage.constructor: unknown key'],
  ])('%s', async (_, toml, key) => {
    const a = arena();
    withConfig(a, toml);
    const before = treeState(a.root);
    const run = await attack(a, ['feature', '--builtin', 'smoke_test', '--force']);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(key);
    expect(treeState(a.root)).toEqual(before);
    expect(existsSync(path.join(a.root, 'pwned'))).toBe(false);
  });

  it.each(['constructor', '__proto__', 'toString'])('a preset named %s is exit 2', async (name) => {
    const a = arena();
    writeFileSync(path.join(a.root, 'petsage.config.json'), JSON.stringify({ preset: name }));
    rmSync(path.join(a.root, 'pyproject.toml'));
    const result = await attack(a, ['feature', '--builtin', 'smoke_test']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect((await petsage(['init', path.join(path.dirname(a.root), 'x'), '--preset', name])).exitCode).toBe(2);
  });
});

describe('5. locks that a dead run, a commit or a full disk left never block for ever', () => {
  it.each([
    ['names pid 1 (as a commit could)', () => JSON.stringify({ pid: 1, since: '2026-01-01T00:00:00Z' })],
    ['names pid 1 in the current format with a guessed boot', () => JSON.stringify({ pid: 1, boot: 'x', pidns: 'pid:[4026531836]', start: '1', nonce: 'a'.repeat(32) })],
    ['is empty', () => ''],
    ['is not JSON', () => '{"pid": '],
  ])('a lock that %s is taken over', async (_, content) => {
    const a = arena();
    writeFileSync(path.join(a.root, '.petsage.lock'), content());
    const result = await attack(a, ['remove', 'smoke_test', '--wait', '0']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('.petsage.lock: took over a stale lock');
    expect(existsSync(path.join(a.root, '.petsage.lock'))).toBe(false);
  });

  it('a lock that is a directory (with a file in it, as a commit makes it) is taken over', async () => {
    const a = arena();
    mkdirSync(path.join(a.root, '.petsage.lock'));
    writeFileSync(path.join(a.root, '.petsage.lock', '.gitkeep'), '');
    const result = await attack(a, ['remove', 'smoke_test', '--wait', '0']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('took over a stale lock (it is a directory)');
  });

  it('a lock that is a link out of the target is removed, never followed', async () => {
    const a = arena();
    symlinkSync(path.join(a.decoy, 'victim.txt'), path.join(a.root, '.petsage.lock'));
    const result = await attack(a, ['remove', 'smoke_test', '--wait', '0']);
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it('a run SIGKILLed in a PID namespace does not block the next run in a fresh one, which recovers its commit', async () => {
    const a = arena();
    // Under a shell, as in a container: a namespace's pid 1 ignores even SIGKILL from inside, so
    // the run is pid 2, in this namespace and in the next one alike.
    const inNamespace = (env: Record<string, string>, wait: string) =>
      execa('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', '"$@"; exit $?', 'sh', process.execPath, BIN, 'feature', '-', '--target', a.root, '--wait', wait], {
        reject: false,
        input: JSON.stringify({ feature: 'pets', description: 'Pets.' }),
        env: { NO_COLOR: '1', ...env },
      });
    const killed = await inNamespace({ PETSAGE_FAULT: 'kill:4' }, '0');
    expect(killed.exitCode).not.toBe(0);
    expect(readJson(path.join(a.root, '.petsage.lock')).pid).toBe(2);
    // The next run cannot see into the dead namespace: the lock is stale once its heartbeat stops.
    const started = Date.now();
    const next = await inNamespace({}, '30');
    expect(next.exitCode, String(next.stderr)).toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(String(next.stderr)).toContain('took over a stale lock');
    expect(String(next.stdout)).toContain('A previous run was interrupted mid-commit; undid it');
    expect(existsSync(path.join(a.root, '.petsage.lock'))).toBe(false);
  });

  describe('on a full disk', () => {
    const mountPoint = path.join(workspace, 'full');
    afterAll(async () => {
      await execa('umount', [mountPoint], { reject: false });
    });

    it('a lock that cannot be created leaves nothing behind, and the next run works once there is room', async () => {
      mkdirSync(mountPoint);
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]);
      const root = path.join(mountPoint, 'backend');
      cpSync(pristine, root, { recursive: true });
      const filler = path.join(mountPoint, 'filler');
      const { bavail, bsize } = statfsSync(mountPoint);
      writeFileSync(filler, Buffer.alloc(bavail * bsize));
      const before = treeState(root);
      const full = await petsage(['remove', 'smoke_test', '--target', root]);
      expect(full.exitCode, full.stderr).toBe(4);
      expect(treeState(root)).toEqual(before);
      rmSync(filler);
      const next = await petsage(['remove', 'smoke_test', '--target', root, '--wait', '0']);
      expect(next.exitCode, next.stderr).toBe(0);
    });
  });
});

describe('6. template overrides are bounded', () => {
  const override = (a: Arena, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(a.root, '.petsage/templates', name)), { recursive: true });
      writeFileSync(path.join(a.root, '.petsage/templates', name), text);
    }
  };

  it('{{log}} goes to stderr, so --json stays one JSON report', async () => {
    const a = arena();
    override(a, { 'readme.md.hbs': '{{log "hello from the template"}}# {{feature.title}}\n' });
    const result = await attack(a, ['feature', '--builtin', 'smoke_test', '--force', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).exitCode).toBe(0);
    expect(result.stderr).toContain('template log: hello from the template');
  });

  it('a self-recursive partial is exit 2 naming the template', async () => {
    const a = arena();
    override(a, { 'partials/feature-docstring.hbs': '{{> feature-docstring}}' });
    const before = treeState(a.root);
    const result = await attack(a, ['feature', '--builtin', 'smoke_test', '--force']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/\.petsage\/templates.*a partial includes itself without end/);
    expect(treeState(a.root)).toEqual(before);
  });

  it('nested loops over a big range end with exit 2 within seconds', async () => {
    const a = arena();
    const loops = '{{#each @root.paths}}'.repeat(12) + 'x' + '{{/each}}'.repeat(12);
    override(a, { 'readme.md.hbs': loops });
    const started = Date.now();
    const result = await attack(a, ['feature', '--builtin', 'smoke_test', '--force']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('.petsage/templates/readme.md.hbs: rendering stopped');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('7. random tampering: the decoy never changes, and no invalid input exits 0', () => {
  const hostilePath = (a: Arena) =>
    fc.constantFrom(
      path.relative(a.root, path.join(a.decoy, 'victim.txt')),
      path.join(a.decoy, 'victim.txt'),
      '../decoy/dir',
      'app/main.py',
      'pyproject.toml',
      '/proc/self/environ',
      'app\\api\\v1\\api.py',
      './app/./main.py',
      'app//main.py',
      '',
      '.petsage-journal.json',
    );
  const hostileValue = fc.oneof(fc.constantFrom(null, 42, true, [], {}, '__proto__', 'os:system', '"""', '\n', '../x'), fc.string({ maxLength: 12 }));

  it('records: a hostile path or value in any place', async () => {
    const a0 = arena();
    // Each field with what may still be valid there: any other value must be refused.
    const fields: Record<string, (value: unknown) => boolean> = {
      'files.0.path': () => false,
      'files.1.path': () => false,
      'blueprint.aggregator': () => false,
      'blueprint.paths.router': () => false,
      // Any `module:variable` is a valid app for a record: it shapes the generated test's import,
      // not what a run reads or writes (check then finds the test outdated, exit 5).
      'blueprint.app': (value) => typeof value === 'string' && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*$/.test(value),
      'blueprint.apiPrefix': (value) => typeof value === 'string' && /^(\/[A-Za-z0-9._~-]+)*$/.test(value) && !/\/\.+(\/|$)/.test(value),
      'aggregator.file': () => false,
      'aggregator.routerVar': () => false,
      'payload.feature': () => false,
      'payload.description': (value) => typeof value === 'string' && value.trim() !== '',
      'blueprint.sourceRoot': () => false,
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(fields)), fc.oneof(hostilePath(a0), hostileValue), fc.constantFrom('check', 'list', 'remove'), async (field, value, command) => {
        const a = arena();
        let invalid = false;
        editRecord(a, (record) => {
          const keys = field.split('.');
          let target: any = record;
          for (const key of keys.slice(0, -1)) target = target[key];
          invalid = JSON.stringify(target[keys.at(-1)!]) !== JSON.stringify(value) && !fields[field]!(value);
          target[keys.at(-1)!] = value;
        });
        const result = await attack(a, command === 'remove' ? ['remove', 'smoke_test'] : [command]);
        if (invalid) expect(result.exitCode, `${field}=${JSON.stringify(value)}: ${result.stderr}`).not.toBe(0);
        rmSync(path.dirname(a.root), { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 0) > 1000 ? 200 : 30 },
    );
  });

  it('journals: any planted journal', async () => {
    const a0 = arena();
    const entry = fc.record({ path: hostilePath(a0), temp: fc.option(hostilePath(a0)), backup: fc.option(hostilePath(a0)), sha256: fc.option(fc.constantFrom('0'.repeat(64), sha('x'))) });
    await fc.assert(
      fc.asyncProperty(fc.record({ version: fc.option(fc.constant(2)), run: fc.option(fc.constant('a'.repeat(32))), phase: fc.constantFrom('staging', 'renaming'), entries: fc.array(entry, { maxLength: 4 }), createdDirs: fc.array(hostilePath(a0), { maxLength: 2 }) }), async (journal) => {
        const a = arena();
        writeJson(path.join(a.root, '.petsage-journal.json'), journal);
        const before = treeState(a.root);
        const result = await attack(a, ['feature', '--builtin', 'smoke_test']);
        expect(result.exitCode).toBe(3);
        expect(treeState(a.root)).toEqual(before);
        rmSync(path.dirname(a.root), { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 0) > 1000 ? 200 : 25 },
    );
  });

  it('config: a hostile value for any key', async () => {
    const a0 = arena();
    const keys = ['app', 'api_prefix', 'aggregator', 'router', 'templates', 'source_root', 'paths.router', 'paths.test', 'paths.readme'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), fc.oneof(hostilePath(a0), fc.constantFrom('/api"""\nimport os', 'app.main:app\nx', 'os:system', 'a b', '{feature}')), async (key, value) => {
        const a = arena();
        const [head, leaf] = key.split('.');
        writeFileSync(path.join(a.root, 'petsage.config.json'), JSON.stringify({ preset: 'modules', ...(leaf ? { [head!]: { [leaf]: value } } : { [head!]: value }) }));
        const file = path.join(a.root, 'pyproject.toml');
        writeFileSync(file, readFileSync(file, 'utf8').replace(/\[tool\.petsage\][\s\S]*$/, ''));
        const before = treeState(a.root);
        const result = await attack(a, ['feature', '--builtin', 'smoke_test', '--force']);
        // Any URL path is a valid prefix (an empty one mounts features at the root).
        const validPrefix = key === 'api_prefix' && /^(\/[A-Za-z0-9._~-]+)*$/.test(value) && !/\/\.+(\/|$)/.test(value);
        // The app module is a file that can aggregate: a valid choice too.
        const validAggregator = key === 'aggregator' && value === 'app/main.py';
        if (!validPrefix && !validAggregator) expect(result.exitCode, `${key}=${JSON.stringify(value)}: ${result.stderr}`).not.toBe(0);
        expect(result.exitCode).not.toBe(1);
        if (result.exitCode !== 0) expect(treeState(a.root)).toEqual(before);
        rmSync(path.dirname(a.root), { recursive: true, force: true });
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 0) > 1000 ? 200 : 30 },
    );
  });
});
