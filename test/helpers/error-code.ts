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

/** Expects `promise` to reject with a RadiomarkError of `code` whose message is one line. */
export async function expectErrorCode(promise: Promise<unknown>, code: string): Promise<void> {
  let got: string | undefined;
  try {
    await promise;
  } catch (e) {
    got = isRadiomarkError(e) ? (e.message.includes('\n') ? 'multi-line message' : e.code) : `not a RadiomarkError: ${String(e)}`;
  }
  if (got !== code) throw new Error(`expected a RadiomarkError ${code}, got ${got ?? 'no error'}`);
}
