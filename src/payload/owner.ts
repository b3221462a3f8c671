import { PetsageError } from '../errors.js';

/**
 * How messages about several payloads name them: a problem of a batch's payload is under
 * `payloads[<index>].`, as CI reads it (a single payload's paths stay bare), and whatever holds
 * a name is a recorded feature or a payload of the batch.
 */

/** `payloads[2].feature` in a batch of several, `feature` for a payload on its own. */
export const payloadPath = (index: number, count: number, path: string) => (count > 1 ? `payloads[${index}].${path}` : path);

/** A path into a payload (`resource.fields.email`), as opposed to a file or a config key. */
const PAYLOAD_KEY = /^(feature|description|requirements|resource)(\.|\[|$)/;

/**
 * An error found in one payload of a batch (while planning it), its payload paths under
 * `payloads[<index>].`; anything else it names (a file, a config key) as it is.
 */
export function inPayload(error: PetsageError, index: number, count: number): PetsageError {
  const at = (path: string | undefined) => (path !== undefined && PAYLOAD_KEY.test(path) ? payloadPath(index, count, path) : path);
  const moved = new PetsageError(error.text, error.exitCode, {
    ...(at(error.path) !== undefined && { path: at(error.path) }),
    problems: error.problems.map((problem) => ({ ...problem, ...(problem.path !== undefined && { path: at(problem.path) }) })),
    context: error.context,
    hints: error.hints,
  });
  if (error.result) moved.result = error.result;
  return moved;
}

/** Who holds a name: a recorded feature, or the batch's payload at `index`. */
export interface Owner {
  feature: string;
  index?: number;
}

export const ownerName = (owner: Owner) => `feature "${owner.feature}"${owner.index === undefined ? '' : ` (payloads[${owner.index}])`}`;
/** `feature "a" already` (recorded), `feature "a" (payloads[0]) also` (earlier in the batch). */
export const ownerText = (owner: Owner) => `${ownerName(owner)} ${owner.index === undefined ? 'already' : 'also'}`;
