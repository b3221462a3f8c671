import { parse as parseToml } from 'smol-toml';
import { isPlainObject } from '../data.js';
import { invalidInput } from '../errors.js';
import { readContainedText } from '../commit/safe-fs.js';

/** Ruff's own bounds for `line-length`. */
export const LINE_LENGTH_RANGE = { min: 1, max: 320 } as const;

export const isLineLength = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= LINE_LENGTH_RANGE.min && (value as number) <= LINE_LENGTH_RANGE.max;

/**
 * The `line-length` ruff uses in the target, which generated code is laid out for; undefined
 * when none is set (ruff's default, 88). Ruff reads the first of `.ruff.toml`, `ruff.toml` and a
 * pyproject.toml with a `[tool.ruff]` table in the project's folder, and so does this; without
 * any, `[tool.black]`'s line length, which black formats to.
 */
export function readRuffLineLength(root: string, pyproject: Record<string, unknown> | undefined): number | undefined {
  for (const file of ['.ruff.toml', 'ruff.toml']) {
    const text = readContainedText(root, file);
    if (text === undefined) continue;
    let document: unknown;
    try {
      document = parseToml(text);
    } catch (error) {
      throw invalidInput(`is not valid TOML: ${(error as Error).message.split('\n')[0]}`, { path: file });
    }
    return lineLengthOf(document, file, 'line-length');
  }
  const tool = pyproject && Object.hasOwn(pyproject, 'tool') ? pyproject.tool : undefined;
  const ruff = isPlainObject(tool) && Object.hasOwn(tool, 'ruff') ? tool.ruff : undefined;
  if (ruff !== undefined) return lineLengthOf(ruff, 'pyproject.toml', 'tool.ruff.line-length');
  // A project formatted by black (and no ruff config) keeps black's line length.
  const black = isPlainObject(tool) && Object.hasOwn(tool, 'black') ? tool.black : undefined;
  return black === undefined ? undefined : lineLengthOf(black, 'pyproject.toml', 'tool.black.line-length');
}

function lineLengthOf(table: unknown, file: string, key: string): number | undefined {
  if (!isPlainObject(table) || !Object.hasOwn(table, 'line-length')) return undefined;
  const value = table['line-length'];
  if (isLineLength(value)) return value;
  throw invalidInput(`${key.startsWith('tool.black') ? "black's" : "ruff's"} line-length must be a whole number from ${LINE_LENGTH_RANGE.min} to ${LINE_LENGTH_RANGE.max}; generated code is laid out for it.`, {
    path: file,
    problems: [{ path: key, message: `is ${JSON.stringify(value)}` }],
  });
}
