import { PetsageError, type Problem } from '../errors.js';
import { analyse, featureIncludes, includeComments, type AggregatorEdit, type AggregatorFile } from './aggregator.js';
import { lineNumber, locatePiece, unpatchAggregator, type AddedText } from './edits.js';
import { bindingsOf, parseImport } from './imports.js';
import type { LogicalLine } from './scan.js';
import { mentionsOfModule, moduleNames, removeStructurally } from './unregister.js';
import { unwrapModuleList } from './module-list.js';
import { LINE_LENGTH } from './format.js';

/**
 * Taking a feature's registration out of the aggregator, proved structural: what a record says
 * was added is evidence, not an instruction. Each recorded piece must cover nothing but this
 * feature's import (a whole statement, or its one name in a module list), its includes, and
 * their title comment and blank lines; together they must cover every include of the feature.
 * So a tampered record cannot cut anything else out of the file. The check reads one analysis
 * of the file, which a batch shares between all its features.
 */
export type Removal =
  /** `structural`: the recorded pieces were no longer there as added (a formatter rewrapped them), so the registration was found by its structure. */
  | { ok: true; text: string; structural: boolean }
  /** `foreign`: the recorded pieces are not this feature's registration; `unclean`: it cannot be taken out leaving the file valid and free of the module. */
  | { ok: false; reason: 'foreign' | 'unclean'; problems: Problem[] };

export type RegisteredEdit = AggregatorEdit & { routerVar: string };

const problem = (message: string): Problem => ({ path: 'aggregator.added', message });

/** Whether every name a whole import statement binds is the feature's module or its router. */
function importsOnlyFeature(line: LogicalLine, edit: RegisteredEdit): boolean {
  const statement = parseImport(line);
  if (!statement) return false;
  const allowed = new Set([edit.routerModule, `${edit.routerModule}.router`]);
  return line.indent === '' && [...bindingsOf(statement, edit.aggregatorPackage).values()].every((dotted) => allowed.has(dotted));
}

/** The logical lines with a token in [start, end), found by binary search: lines are in order. */
function linesAt(lines: readonly LogicalLine[], start: number, end: number): LogicalLine[] {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (lines[mid]!.end <= start) low = mid + 1;
    else high = mid;
  }
  const found: LogicalLine[] = [];
  for (let i = low; i < lines.length && lines[i]!.start < end; i += 1) found.push(lines[i]!);
  return found;
}

/** What one located piece covers, as problems; the feature includes it covers are collected. */
function pieceProblems(file: AggregatorFile, edit: RegisteredEdit, includes: ReadonlySet<LogicalLine>, start: number, end: number, covered: Set<LogicalLine>): string[] {
  const problems: string[] = [];
  for (const line of linesAt(file.lines, start, end)) {
    const inside = line.tokens.filter((token) => token.end > start && token.start < end);
    if (inside.length === 0) continue;
    if (inside.some((token) => token.start < start || token.end > end)) {
      problems.push(`it would cut a token in half on line ${lineNumber(file.source, line.start)}`);
    } else if (inside.length === line.tokens.length) {
      // A whole statement: the feature's import or one of its includes, nothing else.
      if (includes.has(line)) covered.add(line);
      else if (!importsOnlyFeature(line, edit)) problems.push(`it would take out \`${line.tokens.map((token) => token.text).join('')}\`, which is not this feature's`);
    } else {
      // Part of a statement: only the feature's one name in a module list, with its comma, or the
      // parentheses and commas that wrapped the list when the feature made it too long.
      const statement = parseImport(line);
      const names = inside.filter((token) => !',()'.includes(token.text));
      if (names.length === 0 && statement?.names.some((candidate) => bindingsOf({ ...statement, names: [candidate] }, edit.aggregatorPackage).get(candidate.name) === edit.routerModule)) continue;
      const name = statement?.names.find((candidate) => candidate.first === names[0] && candidate.last === names[0] && candidate.alias === undefined);
      const bound = name && statement ? bindingsOf({ ...statement, names: [name] }, edit.aggregatorPackage).get(name.name) : undefined;
      if (names.length !== 1 || bound !== edit.routerModule) problems.push(`it would change the statement \`${line.tokens.map((token) => token.text).join(' ')}\``);
    }
  }
  return problems;
}

/**
 * Why `added` is not exactly this feature's registration in the analysed file, or `edited` when
 * a piece is no longer there as added.
 */
export function registrationProblems(file: AggregatorFile, added: readonly AddedText[], edit: RegisteredEdit): { edited: boolean; problems: Problem[] } {
  const comments = includeComments(file, edit, edit.routerVar);
  if (added.some((piece) => piece.text.split(/\r?\n/).some((line) => line.includes('#') && !comments.includes(line.trim())))) {
    return { edited: false, problems: [problem(`holds a comment other than ${comments.map((comment) => `"${comment}"`).join(' or ')}`)] };
  }
  const includes = new Set(featureIncludes(file, edit, edit.routerVar).map((include) => include.line));
  const covered = new Set<LogicalLine>();
  const problems: string[] = [];
  for (const piece of added) {
    const found = locatePiece(file.source, piece);
    if (!found) return { edited: true, problems: [] };
    problems.push(...pieceProblems(file, edit, includes, found.offset, found.offset + found.length, covered));
  }
  if (includes.size === 0 || covered.size < includes.size) problems.push("it would not take out every include of the feature's router");
  return { edited: false, problems: problems.map(problem) };
}

/** The text without the recorded pieces, or undefined when one is not found as added once the others are out. */
function unpatched(source: string, added: readonly AddedText[], file: string): string | undefined {
  try {
    return unpatchAggregator(source, added, file).text;
  } catch (error) {
    if (error instanceof PetsageError) return undefined;
    throw error;
  }
}

/**
 * The aggregator without the feature's registration. The fast path takes out exactly the pieces a
 * patch added, which gives back the original bytes when nothing else changed; when they are no
 * longer there as added (the project's formatter rewrapped or joined them), or taking them out
 * would leave the module named, the registration is found by its structure instead. Either
 * way the result must parse and name the module nowhere, or it is `unclean`; pieces that are not
 * this feature's registration (a tampered record) are `foreign`.
 */
export function removeRegistration(source: string, added: readonly AddedText[], edit: RegisteredEdit, file: AggregatorFile = analyse(source, edit)): Removal {
  const { edited, problems } = registrationProblems(file, added, edit);
  if (problems.length > 0) return { ok: false, reason: 'foreign', problems };
  // A feature that wrapped a module list (see module-list.ts) comes out by structure: taking its
  // pieces out alone would leave the names others added since in the list's wrapped shape.
  const wrapped = added.some((piece) => /^\([\r\n]/.test(piece.text));
  if (!edited && !wrapped) {
    const text = unpatched(source, added, edit.file);
    if (text !== undefined && mentionsOfModule(text, edit, moduleNames(file, edit)).length === 0) return { ok: true, text, structural: false };
  }
  const removal = removeStructurally(file, edit);
  if (!removal.ok) return { ok: false, reason: 'unclean', problems: removal.problems.map((message) => ({ path: edit.file, message })) };
  // The feature wrapped a module list when it joined it (see module-list.ts); with its name out
  // and the list fitting again, the list goes back on one line, as it was before.
  if (wrapped) {
    const unwrapped = unwrapModuleList(analyse(removal.text, edit), edit.routerModule.slice(0, edit.routerModule.lastIndexOf('.')), edit.lineLength ?? LINE_LENGTH);
    if (unwrapped !== undefined) return { ok: true, text: unwrapped, structural: true };
  }
  return { ok: true, text: removal.text, structural: true };
}
