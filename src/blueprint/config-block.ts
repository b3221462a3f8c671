import { parse as parseToml } from 'smol-toml';
import { isPlainObject } from '../data.js';
import { conflict, invalidInput, PetsageError } from '../errors.js';
import { lineEnding } from '../python/edits.js';
import { blueprintFromSection } from './config.js';
import type { Blueprint } from './presets.js';

/**
 * The `[tool.petsage]` block `config` prints and `config --detect --write` appends to
 * pyproject.toml: written from a section, and read back through the TOML parser and the same
 * checks a config goes through, so that what is printed is what a run would read.
 */

/** `[name]`, its plain keys, then each sub-table as `[name.key]`. Keys are the config's own, bare; values are strings. */
export function tomlTable(name: string, table: Record<string, unknown>): string[] {
  const entries = Object.entries(table).filter(([, value]) => value !== undefined);
  const scalars = entries.filter(([, value]) => !isPlainObject(value)).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
  const tables = entries.filter(([, value]) => isPlainObject(value)).flatMap(([key, value]) => ['', ...tomlTable(`${name}.${key}`, value as Record<string, unknown>)]);
  return [`[${name}]`, ...scalars, ...tables];
}

export const petsageBlock = (section: Record<string, unknown>) => `${tomlTable('tool.petsage', section).join('\n')}\n`;

/** The `[tool.petsage]` section a TOML text holds, if any. */
function sectionIn(text: string): unknown {
  const tool = parseToml(text).tool;
  return isPlainObject(tool) ? tool.petsage : undefined;
}

/**
 * The block's blueprint, through the parser and blueprintFromSection (which runs
 * blueprintProblems): a detected value that would be refused is exit 2 naming its key, before
 * anything is printed as advice or written.
 */
export function checkedBlueprint(block: string): Blueprint {
  try {
    return blueprintFromSection(sectionIn(block) as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof PetsageError)) throw error;
    throw invalidInput(`the config detected is not valid, so it is neither printed as advice nor written: ${error.text}`, {
      path: '[tool.petsage] (detected)',
      problems: error.problems,
      hints: ['Write the block yourself (README, "Project config"), starting from what is listed above.'],
    });
  }
}

/**
 * pyproject.toml with the block appended, every existing byte kept (its line endings followed,
 * a missing final newline added before the block); the block alone for a new file. The result
 * must parse with the block as its `[tool.petsage]`, else exit 3 (an inline `tool = {...}` table
 * cannot be extended from outside).
 */
export function withBlock(existing: string | undefined, block: string): string {
  if (existing === undefined) return block;
  const eol = lineEnding(existing);
  const body = existing.length === 0 ? '' : existing.endsWith('\n') ? `${existing}${eol}` : `${existing}${eol}${eol}`;
  const text = `${body}${block.replaceAll('\n', eol)}`;
  let appended: unknown;
  try {
    appended = sectionIn(text);
  } catch (error) {
    throw conflict(`appending the [tool.petsage] block would make it invalid TOML (${(error as Error).message.split('\n')[0]}); nothing was written.`, {
      path: 'pyproject.toml',
      hints: ['Add the block printed above to pyproject.toml yourself.'],
    });
  }
  if (JSON.stringify(appended) !== JSON.stringify(sectionIn(block))) throw conflict('appending the [tool.petsage] block would not give back the block when read; nothing was written.', { path: 'pyproject.toml', hints: ['Add the block printed above to pyproject.toml yourself.'] });
  return text;
}
