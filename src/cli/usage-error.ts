import { RadiomarkError } from '../base/errors.js';

/** A command-line mistake: reported on one line with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** True for errors that mean bad usage or bad input (exit 2) rather than a bug (exit 1). */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof RadiomarkError;
}
