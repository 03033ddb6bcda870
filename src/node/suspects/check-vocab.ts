import { RadiomarkError } from '../../base/errors.js';
import type { SuspectTokenizer } from '../../suspects/suspect-model.js';

/** Logits a model may have beyond its tokenizer's ids (vocabularies padded to a round size). */
export const MAX_VOCAB_PADDING = 1024;

/**
 * Refuses a model whose logits do not fit its tokenizer: fewer logits than token ids, or
 * more than {@link MAX_VOCAB_PADDING} extra ones (the sign of another tokenizer's model).
 *
 * @example
 * ```ts
 * checkVocab('m.onnx', 100_277, await loadSuspectTokenizer('cl100k_base')); // ok
 * ```
 */
export function checkVocab(path: string, logits: number, tokenizer: SuspectTokenizer): void {
  if (logits < tokenizer.vocabSize || logits > tokenizer.vocabSize + MAX_VOCAB_PADDING) {
    throw new RadiomarkError(
      'VOCAB_MISMATCH',
      `${path}: the model has ${logits} logits per position but tokenizer ${tokenizer.name} has ${tokenizer.vocabSize} ids`,
    );
  }
}
