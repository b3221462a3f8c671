import { createHash } from 'node:crypto';

/**
 * Small facts about data read back from disk, shared by the stages that validate it: records,
 * the journal, config and payloads.
 */

/** A JSON object (not an array, not null). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A sha256 as records and the journal keep it. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');
