import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_PRESET, PROJECT_LAYERS } from './blueprint/presets.js';
import { runCheck } from './commands/check.js';
import { runConfig } from './commands/config.js';
import { runFeature } from './commands/feature.js';
import { runForget } from './commands/forget.js';
import { runInit } from './commands/init.js';
import { runList } from './commands/list.js';
import { runRemove } from './commands/remove.js';
import { runSchema } from './commands/schema.js';
import { runTemplatesEject } from './commands/templates.js';
import { runUpdate, type ConflictMode } from './commands/update.js';
import { JOURNAL_FILE } from './commit/journal.js';
import { ExitCode, type ExitCodeValue } from './errors.js';
import { nearest } from './suggest.js';
import { readStream } from './payload/input.js';
import type { Reporter } from './output/reporter.js';
import type { FeatureReport } from './record/report.js';
import packageJson from '../package.json' with { type: 'json' };

export interface CliContext {
  cwd: string;
  reporter: Reporter;
  /** Standard input, read until just past `limit` bytes. */
  readStdin: (limit: number) => Promise<Buffer>;
  /** Where commander writes help and version text. */
  writeOut: (text: string) => void;
  writeErr: (text: string) => void;
}

/** What a command gives the JSON report, beyond the exit code and errors the boundary adds. */
export interface CommandResult {
  target?: string;
  features?: FeatureReport[];
  [extra: string]: unknown;
}

export interface CliOutcome {
  exitCode: ExitCodeValue;
  command: string | undefined;
  /** The target the command was asked for, absolute: reported even when the run stops before resolving it. */
  requestedTarget?: string;
  result: CommandResult;
  /** What a run that ended without an exception reports as errors: a usage error, drift. */
  errors?: { code: string; path?: string; message: string; hint?: string }[];
}

/** `--wait <seconds>` for the target's lock: a number of seconds, 0 to fail at once. */
function waitOption(): Option {
  return new Option('--wait <seconds>', 'how long to wait for another run on the same target (0: fail at once)')
    .default(30)
    .argParser((value) => {
      const seconds = Number(value);
      if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new InvalidArgumentError('Give a number of seconds, 0 or more.');
      return seconds;
    });
}

/** `feature`, or `templates eject` for a subcommand of a group. */
const commandName = (command: Command) => (command.parent?.parent ? `${command.parent.name()} ${command.name()}` : command.name());

/**
 * Notes the command a usage error arose in (commander reports it through that command's
 * `error`), so the JSON report names the command and the option at fault.
 */
function noteFailingCommand(command: Command, failed: FailedParse): void {
  const error = command.error.bind(command);
  command.error = (message, options) => {
    failed.command ??= command;
    return error(message, options);
  };
  // An option whose value its parser refuses (`--wait abc`, `--conflicts=maybe`) is the error's path.
  for (const option of command.options) {
    const parse = option.parseArg;
    if (parse === undefined) continue;
    option.parseArg = <T>(value: string, previous: T): T => {
      try {
        return parse.call(option, value, previous) as T;
      } catch (refused) {
        failed.option ??= option.long ?? option.short;
        throw refused;
      }
    };
  }
  for (const sub of command.commands) noteFailingCommand(sub, failed);
}

/** What a usage error is about, noted while commander parses. */
interface FailedParse {
  command?: Command;
  option?: string;
}

/**
 * `--target`'s value as given, wherever it stands: commander stops at the first error, so an
 * option it did not reach yet is read from the arguments.
 */
function targetIn(args: readonly string[]): string | undefined {
  for (const [i, arg] of args.entries()) {
    if (arg === '--') return undefined;
    if (arg.startsWith('--target=')) return arg.slice('--target='.length);
    if ((arg === '--target' || arg === '-t') && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

/** The options a command takes: its own and those of the commands above it (the global ones). */
function optionsOf(command: Command): Option[] {
  return [...command.options, ...(command.parent ? optionsOf(command.parent) : [])];
}

/** The first argument that looks like an option and that the failing command does not take. */
function unknownOptionIn(args: readonly string[], command: Command): string | undefined {
  const known = optionsOf(command);
  for (const arg of args) {
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg === '-') continue;
    const flag = arg.startsWith('--') ? arg.split('=')[0]! : arg.slice(0, 2);
    if (!known.some((option) => option.short === flag || option.long === flag)) return flag;
  }
  return undefined;
}

/** A usage error as the JSON report lists it: the option at fault as its path, and what to do. */
function usageError(error: CommanderError, args: readonly string[], failed: FailedParse, program: Command): NonNullable<CliOutcome['errors']>[number] {
  // The command word given: a command with subcommands (`templates`) fails as itself when none follows.
  const word = args.find((arg) => !arg.startsWith('-'));
  const command = failed.command ?? program.commands.find((candidate) => candidate.name() === word) ?? program;
  const flag = error.code === 'commander.unknownOption' ? unknownOptionIn(args, command) : failed.option;
  const known = optionsOf(command).flatMap((option) => (option.long ? [option.long] : []));
  const meant =
    error.code === 'commander.unknownOption' && flag?.startsWith('--')
      ? nearest(flag, known)
      : error.code === 'commander.unknownCommand'
        ? unknownCommandMeant(args, command, program)
        : undefined;
  const help = command === program ? 'petsage-build --help' : `petsage-build ${commandName(command)} --help`;
  // No command given: commander has printed the help (the commands are in it) as an error.
  if (error.code === 'commander.help') {
    return { code: 'invalid_input', message: `no command given${command === program ? '' : ` to ${commandName(command)}`}`, hint: 'Name one of the commands listed above.' };
  }
  return {
    code: 'invalid_input',
    ...(flag !== undefined && { path: flag }),
    message: error.message.replace(/^error: /, ''),
    hint: `${meant ? `Did you mean ${meant}? ` : ''}Run \`${help}\` for its arguments and options.`,
  };
}

/**
 * The command an unknown word was likely meant to be: among the program's commands, or, after a
 * command with subcommands (`templates ejct`), among its subcommands.
 */
function unknownCommandMeant(args: readonly string[], command: Command, program: Command): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const [word, within] = command === program ? [words[0], program] : [words[1], command];
  return word === undefined ? undefined : nearest(word, within.commands.map((candidate) => candidate.name()));
}

/** The one example each command's --help ends with. */
const example = (command: string) => `\nExample:\n  $ ${command}\n`;

const targetOption = () => new Option('-t, --target <dir>', 'the backend').default('.');

/** Each command, registered on the program: a run builds only the one it names (see runCli). */
type Registration = { program: Command; context: CliContext; outcome: CliOutcome; base: { cwd: string; reporter: Reporter } };
const COMMANDS: Record<string, (registration: Registration) => void> = {
  feature: ({ program, context, outcome, base }) => {
    program
      .command('feature')
      .description('generate features from payload files, - for stdin (one payload, or NDJSON), or a built-in payload')
      .argument('[payloads...]', 'payload files: JSON, base64, a message envelope, or a JSON array of payloads')
      .option('--builtin <name>', 'use a payload shipped with petsage-build')
      .addOption(targetOption())
      .option('--preset <name>', 'use this layout, over the preset in the project config')
      .option('--force', 'overwrite generated files that exist with different content')
      .option('--dry-run', 'print the file tree and a diff of every change; write nothing')
      .option('--verify', "run the new tests (and ruff) with the target's Python; roll back on failure")
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build feature payload.json --target backend --dry-run'))
      .action(async (payloads: string[], options: { builtin?: string; target: string; force?: true; preset?: string; dryRun?: true; verify?: true; wait: number }) => {
        const flags = { force: options.force === true, dryRun: options.dryRun === true, verify: options.verify === true };
        outcome.result = await runFeature(payloads, { ...options, ...flags, ...base, readStdin: context.readStdin });
      });
  },
  update: ({ program, context, outcome, base }) => {
    program
      .command('update')
      .description('bring template and payload changes into generated features, merging your edits three ways')
      .argument('[features...]', 'recorded feature names (none: every recorded feature), or payload files of recorded features (- for stdin)')
      .option('--builtin <name>', 'use a payload shipped with petsage-build')
      .addOption(targetOption())
      .addOption(new Option('--conflicts <mode>', 'when an edit and the new render disagree: stop (exit 3, nothing written) or write markers').choices(['stop', 'markers']).default('stop'))
      .option('--dry-run', 'print the file tree and a diff of every change, merges included; write nothing')
      .option('--verify', "run the updated tests (and ruff) with the target's Python; roll back on failure")
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build update --target backend --dry-run'))
      .action(async (features: string[], options: { builtin?: string; target: string; conflicts: ConflictMode; dryRun?: true; verify?: true; wait: number }) => {
        const flags = { dryRun: options.dryRun === true, verify: options.verify === true };
        outcome.result = await runUpdate(features, { ...options, ...flags, ...base, readStdin: context.readStdin });
      });
  },
  init: ({ program, outcome, base }) => {
    program
      .command('init')
      .description('write a minimal, runnable FastAPI backend into a new or empty directory')
      .argument('<dir>', 'directory to create or fill')
      .option('--preset <name>', `the layout: ${Object.keys(PROJECT_LAYERS).join(', ')}`, DEFAULT_PRESET)
      .addOption(new Option('--force', 'into a non-empty directory: create only the missing files, leave every existing one alone').conflicts('overwrite'))
      .option('--overwrite', "into a non-empty directory: also replace existing files with init's, listing each")
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build init backend --preset layered'))
      .action(async (dir: string, options: { force?: true; overwrite?: true; preset: string; wait: number }) => {
        outcome.result = await runInit(dir, { ...options, force: options.force === true, overwrite: options.overwrite === true, ...base });
      });
  },
  check: ({ program, outcome, base }) => {
    program
      .command('check')
      .description('re-render every recorded feature; exit 5 if a generated file is missing or outdated, a registration was lost, a resource was generated for another version of one it refers to, or a killed run left its commit unsettled (files edited by hand are yours)')
      .addOption(targetOption())
      .option('--strict', 'compare byte for byte: a file edited by hand is drift too')
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build check --target backend --json'))
      .action(async (options: { target: string; strict?: true; wait: number }) => {
        const result = await runCheck({ ...options, strict: options.strict === true, ...base });
        outcome.result = result;
        if (result.drift) {
          outcome.exitCode = ExitCode.drift;
          outcome.errors = [
            ...(result.interrupted ? [{ code: 'drift', path: JOURNAL_FILE, message: 'a run was interrupted mid-commit and is not settled yet' }] : []),
            ...result.features.filter((feature) => feature.drift).map((feature) => ({ code: 'drift', path: feature.feature, message: `drifted: ${feature.state}` })),
          ];
        }
      });
  },
  remove: ({ program, outcome, base }) => {
    program
      .command('remove')
      .description("delete a feature's generated files and its registration")
      .argument('<feature>', 'the feature name')
      .addOption(targetOption())
      .option('--force', 'remove files edited since they were generated')
      .option('--dry-run', 'print what would be deleted and changed, with a diff of each; write nothing')
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build remove pet_profiles --target backend --dry-run'))
      .action(async (feature: string, options: { target: string; force?: true; dryRun?: true; wait: number }) => {
        outcome.result = await runRemove(feature, { ...options, force: options.force === true, dryRun: options.dryRun === true, ...base });
      });
  },
  forget: ({ program, outcome, base }) => {
    program
      .command('forget')
      .alias('adopt')
      .description("stop tracking features (adopt their code as your own): delete their records and nothing else; their files and registration become the project's own")
      .argument('<features...>', 'the feature names')
      .addOption(targetOption())
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build forget pet_profiles --target backend'))
      .action(async (features: string[], options: { target: string; wait: number }) => {
        outcome.result = await runForget(features, { ...options, ...base });
      });
  },
  list: ({ program, outcome, base }) => {
    program
      .command('list')
      .description('list the recorded features and their state: current, edited, conflicted or missing')
      .addOption(targetOption())
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build list --target backend'))
      .action(async (options: { target: string; wait: number }) => {
        outcome.result = await runList({ ...options, ...base });
      });
  },
  config: ({ program, outcome, base }) => {
    program
      .command('config')
      .description('print the petsage config in use; with --detect, read the [tool.petsage] block a backend needs from its code')
      .addOption(targetOption())
      .option('--detect', 'find the aggregator, app, prefix and artifact paths in the code and print the block')
      .option('--write', 'with --detect: append the block to pyproject.toml (refused when a config exists)')
      .option('--aggregator <file>', 'with --detect: the aggregator to take among several candidates')
      .option('--router <variable>', 'with --detect: the router in it features are mounted on')
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build config --detect --write --target backend'))
      .action(async (options: { target: string; detect?: true; write?: true; aggregator?: string; router?: string; wait: number }) => {
        outcome.result = await runConfig({ ...options, detect: options.detect === true, write: options.write === true, ...base });
      });
  },
  schema: ({ program, context, outcome }) => {
    program
      .command('schema')
      .description("print the payload's JSON Schema, for editors")
      .addHelpText('after', example('petsage-build schema > payload.schema.json'))
      .action(() => {
        outcome.result = runSchema(context.reporter);
      });
  },
  templates: ({ program, outcome, base }) => {
    program
      .command('templates')
      .description("work with the project's template overrides")
      .command('eject')
      .description('copy built-in feature templates into the project, to override them')
      .argument('[name]', 'one template (e.g. router.py); all of them when omitted')
      .addOption(targetOption())
      .option('--force', 'overwrite templates already ejected')
      .addOption(waitOption())
      .addHelpText('after', example('petsage-build templates eject router.py --target backend'))
      .action(async (name: string | undefined, options: { target: string; force?: true; wait: number }) => {
        outcome.result = await runTemplatesEject(name, { ...options, force: options.force === true, ...base });
      });
  },
};

/** The commander program; each action only maps options and calls its command. */
export function buildProgram(context: CliContext, outcome: CliOutcome, only?: string): Command {
  const base = { cwd: context.cwd, reporter: context.reporter };
  const program = new Command('petsage-build')
    .description('Generate FastAPI feature modules from JSON payloads and wire them into the backend.')
    .version(packageJson.version)
    .option('--json', 'print one JSON report on stdout; human output goes to stderr')
    .option('-q, --quiet', 'print only warnings, errors, what check finds and what list lists')
    .option('--verbose', 'show the stack trace of an internal error')
    .option('--no-color', 'never colour the output')
    .exitOverride()
    .configureOutput({
      writeOut: context.writeOut,
      writeErr: context.writeErr,
      // The same `error <what>` shape as the tool's own errors, without commander's colon.
      outputError: (text, write) => write(text.replace(/^error: /, 'error ')),
    })
    // What to do is printed after the error by runCli, as the report's hint: the command's own
    // --help, and a "did you mean" apart from the message.
    .showSuggestionAfterError(false)
    .configureHelp({ showGlobalOptions: true })
    .hook('preAction', (_, action) => {
      outcome.command = commandName(action);
      const { target } = action.opts<{ target?: string }>();
      if (target !== undefined) outcome.requestedTarget = path.resolve(context.cwd, target);
    });

  for (const [name, register] of Object.entries(COMMANDS)) if (only === undefined || name === only) register({ program, context, outcome, base });
  return program;
}

/** `forget`'s other name. */
const ALIASES: Record<string, string> = { adopt: 'forget' };

/**
 * The command a run names (its first word: no global option takes a value), when it is one:
 * then only that command is built, a millisecond of a cold start. Anything else (no command,
 * `help`, an unknown word, which gets a "did you mean") builds them all.
 */
function commandNamedIn(args: readonly string[]): string | undefined {
  const word = args.find((arg) => !arg.startsWith('-'));
  const name = word === undefined ? undefined : (ALIASES[word] ?? word);
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

/** Runs argv (without node and the script) and turns commander's own exits into exit codes. */
export async function runCli(args: readonly string[], context: CliContext): Promise<CliOutcome> {
  const outcome: CliOutcome = { exitCode: ExitCode.ok, command: undefined, result: {} };
  const program = buildProgram(context, outcome, commandNamedIn(args));
  const failed: FailedParse = {};
  noteFailingCommand(program, failed);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return outcome;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every other commander error is a usage error.
      if (error.exitCode === 0) return { ...outcome, exitCode: ExitCode.ok };
      const command = failed.command && failed.command !== program ? commandName(failed.command) : outcome.command;
      // The options commander read before it stopped are known: the target among them.
      const target = targetIn(args) ?? failed.command?.opts<{ target?: string }>().target;
      const requestedTarget = target === undefined ? outcome.requestedTarget : path.resolve(context.cwd, target);
      // Commander has printed the error; what to do follows it, and the JSON report carries both.
      const usage = usageError(error, args, failed, program);
      // Commander printed its own errors, but for a missing command it printed only the help.
      if (error.code === 'commander.help') context.writeErr(`error ${usage.message}\n`);
      context.writeErr(`${usage.hint}\n`);
      return { ...outcome, command, ...(requestedTarget !== undefined && { requestedTarget }), exitCode: ExitCode.invalidInput, errors: [usage] };
    }
    Object.assign(error as object, { command: outcome.command, requestedTarget: outcome.requestedTarget });
    throw error;
  }
}

/**
 * Standard input as a stream: readFileSync(0) fails with EAGAIN when stdin is a non-blocking pipe.
 * Reading stops once past `limit` bytes, so an endless stdin is refused without reading it all.
 */
export const readStdin = (limit?: number): Promise<Buffer> => readStream(process.stdin, limit);
