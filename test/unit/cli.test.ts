import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { Reporter } from '../../src/output/reporter.js';
import { capture } from '../helpers/capture.js';

async function run(args: string[]) {
  const out = capture();
  const err = capture();
  const { exitCode: code } = await runCli(args, {
    cwd: process.cwd(),
    reporter: new Reporter(out.stream, err.stream),
    readStdin: async () => Buffer.from(''),
    writeOut: (text) => out.stream.write(text),
    writeErr: (text) => err.stream.write(text),
  });
  return { code, out: out.text(), err: err.text() };
}

describe('argv to exit code', () => {
  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['feature', '--help'], 0],
    [['no-such-command'], 2],
    [['feature', '--no-such-flag'], 2],
    [['init'], 2],
    [['update', '--help'], 0],
    [['update', '--conflicts', 'theirs'], 2],
  ])('%j exits %i', async (args, code) => {
    expect((await run(args)).code).toBe(code);
  });

  it('refuses a --conflicts mode update does not have, naming the ones it has', async () => {
    expect((await run(['update', '--conflicts=theirs'])).err).toContain("option '--conflicts <mode>' argument 'theirs' is invalid. Allowed choices are stop, markers.");
  });

  it('refuses init --force with --overwrite, which ask for opposite things', async () => {
    const result = await run(['init', 'never-made', '--force', '--overwrite']);
    expect(result.code).toBe(2);
    expect(result.err).toContain("option '--force' cannot be used with option '--overwrite'");
  });

  it('prints the package version', async () => {
    expect((await run(['--version'])).out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('what a usage error says to do', () => {
  const hintOf = async (args: string[]) => {
    const err = capture();
    const outcome = await runCli(args, {
      cwd: process.cwd(),
      reporter: new Reporter(capture().stream, err.stream),
      readStdin: async () => Buffer.from(''),
      writeOut: () => true,
      writeErr: (text) => err.stream.write(text),
    });
    return outcome.errors?.[0]?.hint;
  };

  it('suggests the command a typo meant, and none for a word far from all', async () => {
    expect(await hintOf(['featur', 'p.json'])).toBe('Did you mean feature? Run `petsage-build --help` for its arguments and options.');
    expect(await hintOf(['frob'])).toBe('Run `petsage-build --help` for its arguments and options.');
  });

  it("suggests a subcommand for a near miss after a command that has them, and none for a word far from any", async () => {
    expect(await hintOf(['templates', 'ejct'])).toBe('Did you mean eject? Run `petsage-build templates --help` for its arguments and options.');
    expect(await hintOf(['templates', 'bogus'])).toBe('Run `petsage-build templates --help` for its arguments and options.');
  });

  it('points a command that needs a subcommand at the subcommands its help, printed above, lists', async () => {
    expect(await hintOf(['templates'])).toBe('Name one of the commands listed above.');
  });
});
