import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runFeature } from './commands/feature.js';
import { runInit } from './commands/init.js';
import { runTemplatesEject } from './commands/templates.js';
import { DEFAULT_PRESET, PRESETS } from './blueprint/presets.js';
import { ExitCode } from './errors.js';
import type { Reporter } from './log.js';
import packageJson from '../package.json' with { type: 'json' };

export interface CliContext {
  cwd: string;
  reporter: Reporter;
  readStdin: () => Promise<Buffer>;
  /** Where commander writes help and version text. */
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

/** `--wait <seconds>` for the target's lock: a number of seconds, 0 to fail at once. */
function waitOption(): Option {
  return new Option('--wait <seconds>', 'how long to wait for another run on the same target (0: fail at once)')
    .default(30)
    .argParser((value) => {
      const seconds = Number(value);
      if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('give a number of seconds, 0 or more.');
      return seconds;
    });
}

/** The commander program; each action only maps options and calls its command. */
export function buildProgram(context: CliContext): Command {
  const program = new Command('petsage-build')
    .description('Generate FastAPI feature modules from a JSON payload and wire them into the backend.')
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({ writeOut: context.writeOut, writeErr: context.writeErr })
    .showHelpAfterError('(pass --help for usage)');

  program
    .command('feature')
    .description('generate a feature module from a payload file, - for stdin, or a built-in payload')
    .argument('[payload]', 'payload file (JSON, base64 or a message envelope), or - for stdin')
    .option('--builtin <name>', 'use a payload shipped with petsage-build')
    .option('-t, --target <dir>', 'the backend to generate into', '.')
    .option('--preset <name>', 'use this layout, over the preset in the project config')
    .option('--force', 'overwrite generated files that exist with different content', false)
    .option('--dry-run', 'print the file tree and a diff of every change; write nothing', false)
    .addOption(waitOption())
    .action(async (payload: string | undefined, options: { builtin?: string; target: string; force: boolean; preset?: string; dryRun: boolean; wait: number }) => {
      await runFeature(payload, { ...options, cwd: context.cwd, readStdin: context.readStdin, reporter: context.reporter });
    });

  program
    .command('init')
    .description('write a minimal, runnable FastAPI backend into a new directory')
    .argument('<dir>', 'directory to create')
    .option('--preset <name>', `the layout: ${Object.keys(PRESETS).join(', ')}`, DEFAULT_PRESET)
    .addOption(new Option('--force', 'write even if the directory is not empty').default(false))
    .action(async (dir: string, options: { force: boolean; preset: string }) => {
      await runInit(dir, { ...options, cwd: context.cwd, reporter: context.reporter });
    });

  program
    .command('templates')
    .description('work with the project\'s template overrides')
    .command('eject')
    .description('copy built-in feature templates into the project, to override them')
    .argument('[name]', 'one template (e.g. router.py); all of them when omitted')
    .option('-t, --target <dir>', 'the backend', '.')
    .option('--force', 'overwrite templates already ejected', false)
    .addOption(waitOption())
    .action(async (name: string | undefined, options: { target: string; force: boolean; wait: number }) => {
      await runTemplatesEject(name, { ...options, cwd: context.cwd, reporter: context.reporter });
    });

  return program;
}

/** Runs argv (without node and the script) and turns commander's own exits into exit codes. */
export async function runCli(args: readonly string[], context: CliContext): Promise<number> {
  try {
    await buildProgram(context).parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    throw error;
  }
}

/** Standard input as a stream: readFileSync(0) fails with EAGAIN when stdin is a non-blocking pipe. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

