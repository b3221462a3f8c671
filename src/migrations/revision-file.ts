import { conflict } from '../errors.js';
import { invalidPython, lineNumber, showRegion } from '../python/edits.js';
import { scanPython, splitTopLevel, type Token } from '../python/scan.js';
import { identifierLiteral } from './literal.js';

/** What the chain of migrations needs from one Alembic revision file. */
export interface RevisionFile {
  /** The file, relative to the target, for messages. */
  file: string;
  revision: string;
  /** The revisions it follows: none for a first revision, several for a merge revision. */
  downRevisions: readonly string[];
}

/** The identifiers read; `branch_labels` and `depends_on` do not decide the head and are left alone. */
type IdentifierName = 'revision' | 'down_revision';
const IDENTIFIERS: readonly string[] = ['revision', 'down_revision'] satisfies IdentifierName[];
const EXPECTED: Record<IdentifierName, string> = {
  revision: 'a string',
  down_revision: 'None, a string, or a tuple or list of strings',
};

/** A top-level `name = value` or `name: annotation = value`. */
interface Assignment {
  name: IdentifierName;
  value: Token[];
  /** Where the statement starts, for messages. */
  offset: number;
}

const isOp = (token: Token | undefined, text: string) => token?.kind === 'op' && token.text === text;

/**
 * The revision and its parents, from the source of an Alembic revision module, as the current
 * template writes them (`revision: str = "..."`, `down_revision: Union[str, Sequence[str], None]
 * = ...`) or older ones (`revision = '...'`). The file is read, never run: a value that is not a
 * plain literal is refused (exit 3) naming the line. Docstrings, comments and code elsewhere
 * (`Revises: ...` in the docstring, names inside functions) are not looked at.
 */
export function parseRevisionFile(text: string, file: string): RevisionFile {
  const { lines, problems } = scanPython(text);
  if (problems[0]) throw invalidPython(file, text, problems[0]);
  const found = new Map<IdentifierName, Assignment>();
  for (const line of lines) {
    if (line.indent !== '') continue;
    for (const statement of splitTopLevel(line.tokens, ';')) {
      const assignment = assignmentOf(statement);
      if (assignment === undefined) continue;
      const earlier = found.get(assignment.name);
      if (earlier) {
        throw refusal(text, file, assignment.offset, `\`${assignment.name}\` is assigned twice (lines ${lineNumber(text, earlier.offset)} and ${lineNumber(text, assignment.offset)})`, 'Keep one assignment');
      }
      found.set(assignment.name, assignment);
    }
  }
  const revision = found.get('revision');
  const downRevision = found.get('down_revision');
  if (!revision || !downRevision) {
    const missing = revision ? '`down_revision` (None for a first revision)' : '`revision = "<id>"`';
    throw conflict(`has no top-level ${missing}, so it is not an Alembic revision petsage-build can read; nothing was changed.`, {
      path: file,
      hints: ['Alembic loads every .py file of the versions folder as a revision: move other files out of it, or add the assignment.'],
    });
  }
  const [id] = identifiers(text, file, revision);
  return { file, revision: id!, downRevisions: identifiers(text, file, downRevision) };
}

function assignmentOf(statement: readonly Token[]): Assignment | undefined {
  const [target, next] = statement;
  if (target?.kind !== 'name' || !IDENTIFIERS.includes(target.text)) return undefined;
  if (!isOp(next, '=') && !isOp(next, ':')) return undefined;
  const equals = isOp(next, '=') ? 1 : topLevelEquals(statement);
  // An annotation alone (`revision: str`) binds nothing.
  if (equals < 0) return undefined;
  return { name: target.text as IdentifierName, value: statement.slice(equals + 1), offset: target.start };
}

/** The `=` after an annotation, which may hold brackets (`Union[str, Sequence[str], None]`). */
function topLevelEquals(statement: readonly Token[]): number {
  let depth = 0;
  for (const [i, token] of statement.entries()) {
    if (token.kind !== 'op') continue;
    if ('([{'.includes(token.text)) depth += 1;
    else if (')]}'.includes(token.text)) depth -= 1;
    else if (token.text === '=' && depth === 0) return i;
  }
  return -1;
}

/** The ids an assignment holds: one for `revision`, any number for `down_revision`. */
function identifiers(text: string, file: string, assignment: Assignment): string[] {
  const { name, value, offset } = assignment;
  const fail = (what: string, hint: string) => refusal(text, file, offset, what, hint);
  const example = name === 'revision' ? 'revision = "1a2b3c4d5e6f"' : 'down_revision = "1a2b3c4d5e6f"';
  const literal = identifierLiteral(value);
  if (literal.kind === 'other') {
    const concatenated = literal.found.startsWith('an implicit concatenation');
    const hint = concatenated ? 'Write each id as one string literal' : `Write the value itself, e.g. \`${example}\``;
    throw fail(`\`${name}\` must be a plain literal (${EXPECTED[name]}), not ${literal.found}: \`${shown(text, value)}\`; petsage-build reads revision files without running them`, hint);
  }
  if (name === 'revision' && literal.kind !== 'string') throw fail(`\`revision\` must be one string, not ${literal.kind === 'none' ? 'None' : 'a tuple or list'}`, `Write it as \`${example}\``);
  const ids = literal.kind === 'none' ? [] : literal.kind === 'string' ? [literal.value] : literal.values;
  for (const id of ids) {
    const problem = revisionIdProblem(id);
    if (problem) throw fail(`\`${name}\` holds ${JSON.stringify(id)}, which ${problem}`, 'Use the id Alembic generated (hex digits)');
  }
  return ids;
}

/** Alembic refuses these three in an id (they mean relative steps and branches in its commands). */
const REFUSED_BY_ALEMBIC = /[@+-]/;
/** Printable ASCII without spaces: what every generated id is, and what messages show safely. */
const PRINTABLE = /^[\x21-\x7e]+$/;

function revisionIdProblem(id: string): string | undefined {
  if (id === '') return 'is empty';
  if (!PRINTABLE.test(id)) return 'is not printable ASCII without spaces';
  if (REFUSED_BY_ALEMBIC.test(id)) return 'Alembic refuses: an id may not hold "@", "-" or "+"';
  return undefined;
}

/** The value as written, on one line and cut short, for a message. */
function shown(text: string, value: readonly Token[]): string {
  const written = value.length === 0 ? '' : text.slice(value[0]!.start, value.at(-1)!.end).replace(/\s+/g, ' ');
  return written.length > 60 ? `${written.slice(0, 57)}...` : written;
}

function refusal(text: string, file: string, offset: number, what: string, hint: string) {
  return conflict(`${what}; nothing was changed.`, {
    path: `${file}:${lineNumber(text, offset)}`,
    context: showRegion(text, offset),
    hints: [`${hint}, then run again.`],
  });
}
