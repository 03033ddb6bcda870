/**
 * Stable error codes. Code that handles radiomark errors should switch on `code`, never on
 * the message text, which may be reworded.
 */
export type RadiomarkErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_KEY'
  | 'KEY_FILE'
  | 'VOCAB_MISMATCH'
  | 'EMPTY_INPUT'
  | 'TOKENIZER'
  | 'MODEL'
  | 'CORPUS_MISSING'
  | 'CACHE'
  | 'INPUT_FORMAT'
  | 'OUTPUT_FILE'
  | 'LOCKED'
  | 'UNSUPPORTED'
  | 'EVIDENCE';

/**
 * The one error type radiomark throws for bad input or unusable state. Messages are a single
 * line and never contain key material.
 *
 * @example
 * ```ts
 * try { log10BinomialTail(5, 3, 0.5); }
 * catch (e) { if (isRadiomarkError(e) && e.code === 'INVALID_ARGUMENT') console.error(e.message); }
 * ```
 */
export class RadiomarkError extends Error {
  override readonly name = 'RadiomarkError';
  readonly code: RadiomarkErrorCode;

  constructor(code: RadiomarkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Type guard for {@link RadiomarkError}, optionally narrowed to one code.
 *
 * @example
 * ```ts
 * if (isRadiomarkError(err, 'KEY_FILE')) console.error(err.message);
 * ```
 */
export function isRadiomarkError(value: unknown, code?: RadiomarkErrorCode): value is RadiomarkError {
  return value instanceof RadiomarkError && (code === undefined || value.code === code);
}

/** Throws an INVALID_ARGUMENT error unless `condition` holds. Internal helper. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RadiomarkError('INVALID_ARGUMENT', message);
}
