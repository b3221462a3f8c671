import { PetsageError, type Problem } from '../errors.js';
import { analyse, resolve, type AggregatorEdit, type AggregatorFile } from './aggregator.js';
import { unpatchAggregator, type AddedText } from './edits.js';
import { parseImport } from './imports.js';
import { parseInclude } from './routers.js';
import { scanPython } from './scan.js';

/**
 * Taking a feature's registration out of the aggregator, proved structural: what a record says
 * was added is evidence, not an instruction. The cut is accepted only when the file before and
 * after differs by nothing but this feature's import binding and its includes (and their
 * comment and blank lines), so a tampered record cannot cut anything else out of the file.
 */
export type Removal =
  | { ok: true; text: string }
  /** `edited`: the pieces are no longer in the file as added; `foreign`: they are not this feature's registration. */
  | { ok: false; reason: 'foreign'; problems: Problem[] }
  | { ok: false; reason: 'edited'; error: PetsageError };

type Edit = AggregatorEdit & { routerVar: string };

const includeKey = (file: AggregatorFile, include: AggregatorFile['includes'][number]) =>
  `${include.owner} ${resolve(include.target, file.bindings)} ${include.prefix ?? ''}`;

/** The statements that are neither imports nor includes, at every depth, as token text. */
function otherStatements(source: string): string[] {
  return scanPython(source).lines.filter((line) => line.indent !== '' || (!parseImport(line) && !parseInclude(line))).map((line) => `${line.indent}${line.tokens.map((token) => token.text).join(' ')}`);
}

function countKeys(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function structuralProblems(before: AggregatorFile, after: AggregatorFile, edit: Edit): string[] {
  const problems: string[] = [];
  const featureRouter = `${edit.routerModule}.router`;
  const remaining = countKeys(after.includes.map((include) => includeKey(after, include)));
  let removed = 0;
  for (const include of before.includes) {
    const key = includeKey(before, include);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      continue;
    }
    removed += 1;
    if (include.owner !== edit.routerVar || resolve(include.target, before.bindings) !== featureRouter) problems.push(`it would take out \`${include.owner}.include_router(${include.target}, ...)\`, which is not this feature's`);
  }
  if ([...remaining.values()].some((count) => count > 0)) problems.push('it would change another include');
  if (removed === 0) problems.push("it would not take out the feature's include");
  if (after.includes.some((include) => include.owner === edit.routerVar && resolve(include.target, after.bindings) === featureRouter)) problems.push('the feature would still be included');
  for (const [name, dotted] of before.bindings) {
    const kept = after.bindings.get(name);
    if (kept === dotted) continue;
    if (kept !== undefined || (dotted !== edit.routerModule && dotted !== featureRouter)) problems.push(`it would take out or change the import of \`${name}\``);
  }
  for (const name of after.bindings.keys()) if (!before.bindings.has(name)) problems.push(`it would add the import of \`${name}\``);
  const others = [otherStatements(before.source), otherStatements(after.source)].map((lines) => lines.join('\n'));
  if (others[0] !== others[1]) problems.push('it would change statements that are not imports or includes');
  return problems;
}

/**
 * The aggregator without the feature's registration, or why the recorded pieces cannot be taken
 * out: `edited` when they are not found as added, `foreign` when taking them out would remove
 * anything but this feature's registration.
 */
export function removeRegistration(source: string, added: readonly AddedText[], edit: Edit): Removal {
  const comment = `# ${edit.comment}`;
  const strayComment = added.some((piece) => piece.text.split(/\r?\n/).some((line) => line.includes('#') && line.trim() !== comment));
  if (strayComment) return { ok: false, reason: 'foreign', problems: [{ path: 'aggregator.added', message: `holds a comment other than "${comment}"` }] };
  let text: string;
  try {
    text = unpatchAggregator(source, added, edit.file).text;
  } catch (error) {
    if (error instanceof PetsageError) return { ok: false, reason: 'edited', error };
    throw error;
  }
  let before: AggregatorFile;
  let after: AggregatorFile;
  try {
    before = analyse(source, edit);
    after = analyse(text, edit);
  } catch (error) {
    if (error instanceof PetsageError) return { ok: false, reason: 'foreign', problems: [{ path: 'aggregator.added', message: `taking it out would leave ${edit.file} invalid (${error.message})` }] };
    throw error;
  }
  const problems = structuralProblems(before, after, edit);
  if (problems.length > 0) return { ok: false, reason: 'foreign', problems: problems.map((problem) => ({ path: 'aggregator.added', message: problem })) };
  return { ok: true, text };
}
