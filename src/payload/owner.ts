/**
 * How messages about several payloads name them: a problem of a batch's payload is under
 * `payloads[<index>].`, as CI reads it (a single payload's paths stay bare), and whatever holds
 * a name is a recorded feature or a payload of the batch.
 */

/** `payloads[2].feature` in a batch of several, `feature` for a payload on its own. */
export const payloadPath = (index: number, count: number, path: string) => (count > 1 ? `payloads[${index}].${path}` : path);

/** Who holds a name: a recorded feature, or the batch's payload at `index`. */
export interface Owner {
  feature: string;
  index?: number;
}

export const ownerName = (owner: Owner) => `feature "${owner.feature}"${owner.index === undefined ? '' : ` (payloads[${owner.index}])`}`;
/** `feature "a" already` (recorded), `feature "a" (payloads[0]) also` (earlier in the batch). */
export const ownerText = (owner: Owner) => `${ownerName(owner)} ${owner.index === undefined ? 'already' : 'also'}`;
