import { PetsageError } from '../../src/errors.js';

/** The PetsageError that `run` throws; fails the test when it throws nothing or something else. */
export function failure(run: () => unknown): PetsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof PetsageError) return error;
    throw error;
  }
  throw new Error('expected a PetsageError');
}
