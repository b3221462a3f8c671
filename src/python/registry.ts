import { applyInsertions, lineEnding, type AddedText } from './edits.js';
import { isortKey } from './format.js';
import { parseImport } from './imports.js';
import { scanLogicalLines } from './scan.js';

/**
 * The models registry (`<pkg>/db/tables.py`): the module that imports every table, so that
 * Alembic's autogenerate and `create_all` see the whole metadata. A resource feature adds one
 * line to it, `from <module> import <Model> as <Model>`: the redundant alias marks an explicit
 * re-export, which neither ruff (F401) nor mypy --strict (implicit re-export) objects to.
 */
export interface RegistryEntry {
  /** Dotted module of the feature's ORM model. */
  module: string;
  /** The model class. */
  name: string;
}

export const registryLine = (entry: RegistryEntry) => `from ${entry.module} import ${entry.name} as ${entry.name}`;

/**
 * Adds the entry's import among the module's top-level `from` imports, where isort puts it
 * (by module), or after the module docstring when there are none. Nothing changes when the
 * line is already there, however the file around it looks.
 */
export function addToRegistry(source: string, entry: RegistryEntry): { text: string; added: AddedText[] } {
  const eol = lineEnding(source);
  const wanted = registryLine(entry);
  const lines = scanLogicalLines(source).filter((line) => line.indent === '');
  const imports = lines.flatMap((line) => {
    const statement = parseImport(line);
    return statement ? [{ line, statement }] : [];
  });
  const present = imports.some(({ statement }) =>
    statement.kind === 'from' && statement.module === entry.module && statement.names.some((name) => name.name === entry.name));
  if (present) return { text: source, added: [] };

  const key = isortKey(entry.module);
  const next = imports.find(({ statement }) => statement.kind === 'from' && isortKey(statement.module) > key);
  if (next) return applyInsertions(source, [{ at: next.line.start, text: `${wanted}${eol}` }]);
  const last = imports.at(-1);
  if (last) return applyInsertions(source, [{ at: last.line.end, text: `${last.line.end === last.line.contentEnd ? eol : ''}${wanted}${eol}` }]);
  // No imports yet: after the docstring (a first statement that is a lone string), a blank line between.
  const first = lines[0];
  const docstring = first && first.tokens.length === 1 && first.tokens[0]!.kind === 'string' ? first : undefined;
  if (!docstring) return applyInsertions(source, [{ at: 0, text: `${wanted}${eol}` }]);
  const ending = docstring.end === docstring.contentEnd ? eol : '';
  return applyInsertions(source, [{ at: docstring.end, text: `${ending}${eol}${wanted}${eol}` }]);
}
