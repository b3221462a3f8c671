import { PetsageError } from '../../src/errors.js';
import { validatePayload } from '../../src/payload/payload.js';

/** A payload's problem lines as the CLI prints them (`path: message`); [] when it is valid. */
export function payloadProblems(data: unknown): readonly string[] {
  try {
    validatePayload(data, 'test');
  } catch (error) {
    if (error instanceof PetsageError) return error.details;
    throw error;
  }
  return [];
}
