import { isRadiomarkError } from '../../src/base/errors.js';

/** The `code` of the RadiomarkError `f` throws, 'not a RadiomarkError' for any other throw, undefined if it returns. */
export function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isRadiomarkError(e) ? e.code : 'not a RadiomarkError';
  }
  return undefined;
}
