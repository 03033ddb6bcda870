import type { WatermarkParams } from '../key/params.js';
import type { SampleOptions } from '../schemes/sampler.js';
import type { DetectionResult } from '../detect/detection-result.js';
import type { Dedup } from '../detect/score-tape.js';
import type { SpanResult } from '../detect/windowed.js';
import type { AccountDecoding, DecodeAccountOptions } from '../accounts/decode-account.js';
import type { AttributeOptions, AttributionReport } from '../accounts/attribute-accounts.js';

/** Text, or token ids of the key's tokenizer. */
export type DetectInput = string | ArrayLike<number>;

/** Options of {@link Watermark.detect}. */
export interface DetectOptions {
  /** Significance level of the verdict. Default 1e-6. */
  alpha?: number;
  /** De-duplication mode. Default `tuple` (exact). */
  dedup?: Dedup;
  /** The prompt the text answers: its windows are not scored, and it is the context of the first tokens. */
  prompt?: DetectInput;
  /** Include per-token details (status, and character spans for text input). */
  details?: boolean;
}

/** Result of {@link Watermark.detectSpan}: the whole-text test plus the best span. */
export interface SpanDetectionResult extends DetectionResult {
  /** Most significant span, with its p-value corrected for the spans scanned. */
  span: SpanResult;
}

/** Options of {@link createWatermark}. */
export interface WatermarkOptions {
  /**
   * Logits length your model produces, when it differs from the tokenizer's vocabulary
   * (models that pad their vocabulary). Default: the tokenizer's size.
   */
  vocabSize?: number;
  /**
   * Account id (0 to 2^32 - 1) to embed in the outputs (KGW keys with lefthash or minhash
   * seeding): each window also favours the keyed set of one digit of the account's codeword.
   * Zero-bit detection under the key is unchanged. Default: none.
   */
  account?: number;
  /** Logit bias of the account's sets. Default: the key's delta. */
  accountDelta?: number;
}

/** The generation half of a {@link Watermark}. */
export interface WatermarkGeneration {
  /** Adds delta to the green logits after `context`, in place; returns `logits`. */
  bias(context: ArrayLike<number>, logits: Float32Array): Float32Array;
  /** Next token id: biased logits, then temperature / top-k / top-p sampling. `logits` is left unchanged. */
  sample(context: ArrayLike<number>, logits: Float32Array, options?: SampleOptions): number;
  /**
   * Exact fast path of `sample` at temperature 1: `draw()` returns a token from the model's
   * own distribution p; a green draw is kept, a red one with probability e^-delta, else we
   * draw again. The kept token follows p(v) e^(delta green(v)) / Z exactly (rejection
   * sampling), as `sample` does, but costs O(draws) instead of O(V).
   */
  sampleByRejection(context: ArrayLike<number>, draw: () => number, random: () => number): number;
  /** True if `token` is green after `context` (needs at least `window` context tokens). */
  isGreen(context: ArrayLike<number>, token: number): boolean;
}

/** The detection half of a {@link Watermark}. */
export interface WatermarkDetection {
  /** Exact test of a text or token ids for this watermark. */
  detect(input: DetectInput, options?: DetectOptions): DetectionResult;
  /** Detects each input separately, or pools all into one test with `pool: true` (one tape). */
  detectBatch(inputs: readonly DetectInput[], options?: DetectOptions & { pool?: false }): DetectionResult[];
  detectBatch(inputs: readonly DetectInput[], options: DetectOptions & { pool: true }): DetectionResult;
  /** Like detect, plus a scan for the most significant span (corrected for the spans scanned). */
  detectSpan(input: DetectInput, options?: DetectOptions & { minScored?: number }): SpanDetectionResult;
}

/** The account half of a {@link Watermark}: decoding and attribution of embedded account ids. */
export interface WatermarkAccounts {
  /**
   * Decodes the account id a text carries, with a p-value corrected for all 2^32 ids
   * (list decoding: codewords are tried best first until one passes the check bits).
   */
  decodeAccount(input: DetectInput, options?: DecodeAccountOptions & Pick<DetectOptions, 'prompt'>): AccountDecoding;
  /**
   * Tests candidate accounts as the source of a text: exact conditional p-values (valid for
   * an innocent account whatever other accounts did), Holm-corrected over the candidates.
   */
  attributeAccounts(
    input: DetectInput,
    candidates: ArrayLike<number>,
    options?: AttributeOptions & Pick<DetectOptions, 'prompt'>,
  ): AttributionReport;
}

/**
 * A watermark bound to one key: bias or sample at generation, detect afterwards.
 * Holds no printable secret: `JSON.stringify(watermark)` and `String(watermark)` show the key id only.
 */
export interface Watermark extends WatermarkGeneration, WatermarkDetection, WatermarkAccounts {
  /** Public key id. */
  readonly keyId: string;
  /** Public parameters. */
  readonly params: WatermarkParams;
  /** Logits length expected by `bias` and `sample`. */
  readonly vocabSize: number;
  /** The account id embedded by `bias`/`sample`, or `null`. */
  readonly account: number | null;
}
