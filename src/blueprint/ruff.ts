import { parse as parseToml } from 'smol-toml';
import { isPlainObject } from '../data.js';
import { invalidInput } from '../errors.js';
import { readContainedText } from '../commit/safe-fs.js';

/** Ruff's own bounds for `line-length`. */
export const LINE_LENGTH_RANGE = { min: 1, max: 320 } as const;

export const isLineLength = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= LINE_LENGTH_RANGE.min && (value as number) <= LINE_LENGTH_RANGE.max;

/**
 * The oldest Python from which generated code spells UTC `datetime.UTC` (3.11 added it, and
 * ruff's UP017 asks for it from then on); a floor below it is not kept, as it changes nothing.
 */
export const UTC_FLOOR = 11;
/** A kept floor: `3.11` and later. */
export const isPythonFloor = (value: unknown): value is string => typeof value === 'string' && /^3\.(\d{2,3})$/.test(value) && Number(value.slice(2)) >= UTC_FLOOR;

/** What ruff's settings in the target mean for generated code. */
export interface RuffSettings {
  /** `line-length`, when set (else ruff's 88). */
  lineLength?: number;
  /** The oldest Python the target supports, as `3.N`, when it is 3.11 or later. */
  pythonFloor?: string;
}

/**
 * Ruff's settings in the target, which generated code is laid out for. Ruff reads the first of
 * `.ruff.toml`, `ruff.toml` and a pyproject.toml with a `[tool.ruff]` table in the project's
 * folder, and so does this; without any, `[tool.black]`'s line length, which black formats to.
 * The Python version is ruff's `target-version`, else (as ruff infers it) the lower bound of
 * pyproject.toml's `project.requires-python`.
 */
export function readRuffSettings(root: string, pyproject: Record<string, unknown> | undefined): RuffSettings {
  const { table, file, prefix } = ruffTable(root, pyproject);
  const tool = pyproject && Object.hasOwn(pyproject, 'tool') ? pyproject.tool : undefined;
  // A project formatted by black (and no ruff config) keeps black's line length.
  const black = table === undefined && isPlainObject(tool) && Object.hasOwn(tool, 'black') ? tool.black : undefined;
  const lineLength = table !== undefined ? lineLengthOf(table, file, `${prefix}line-length`) : black === undefined ? undefined : lineLengthOf(black, 'pyproject.toml', 'tool.black.line-length');
  const minor = targetVersionOf(table, file, `${prefix}target-version`) ?? requiresPythonMinor(pyproject);
  return { ...(lineLength !== undefined && { lineLength }), ...(minor !== undefined && minor >= UTC_FLOOR && { pythonFloor: `3.${minor}` }) };
}

function ruffTable(root: string, pyproject: Record<string, unknown> | undefined): { table?: unknown; file: string; prefix: string } {
  for (const file of ['.ruff.toml', 'ruff.toml']) {
    const text = readContainedText(root, file);
    if (text === undefined) continue;
    try {
      return { table: parseToml(text), file, prefix: '' };
    } catch (error) {
      throw invalidInput(`is not valid TOML: ${(error as Error).message.split('\n')[0]}`, { path: file });
    }
  }
  const tool = pyproject && Object.hasOwn(pyproject, 'tool') ? pyproject.tool : undefined;
  const ruff = isPlainObject(tool) && Object.hasOwn(tool, 'ruff') ? tool.ruff : undefined;
  return { table: ruff, file: 'pyproject.toml', prefix: 'tool.ruff.' };
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

/** `target-version = "py312"` as 12; ruff refuses any other shape, and so does this. */
function targetVersionOf(table: unknown, file: string, key: string): number | undefined {
  if (!isPlainObject(table) || !Object.hasOwn(table, 'target-version')) return undefined;
  const value = table['target-version'];
  const match = typeof value === 'string' ? /^py3(\d{1,3})$/.exec(value) : null;
  if (match) return Number(match[1]);
  throw invalidInput(`ruff's target-version must be "py3N" (such as "py311"); generated code is written for that Python.`, {
    path: file,
    problems: [{ path: key, message: `is ${JSON.stringify(value)}` }],
  });
}

/**
 * The lowest Python 3 minor version `requires-python` allows (`>=3.11`, `~=3.12`, `==3.12.*`),
 * or undefined when it gives no lower bound this reads. Undefined only costs the older spelling,
 * which runs everywhere, so a specifier this does not follow is not an error: pip owns the field.
 */
function requiresPythonMinor(pyproject: Record<string, unknown> | undefined): number | undefined {
  const project = pyproject && Object.hasOwn(pyproject, 'project') ? pyproject.project : undefined;
  const spec = isPlainObject(project) && Object.hasOwn(project, 'requires-python') ? project['requires-python'] : undefined;
  if (typeof spec !== 'string') return undefined;
  let floor: number | undefined;
  for (const clause of spec.split(',')) {
    // `>3.11` admits 3.11.1, so its floor is 3.11 as well.
    const match = /^\s*(>=|~=|==|===|>)\s*3\.(\d{1,3})(?:\.(?:\d+|\*))*\s*$/.exec(clause);
    if (match) floor = Math.max(floor ?? 0, Number(match[2]));
  }
  return floor;
}
