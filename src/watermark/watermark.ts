import { RadiomarkError } from '../base/errors.js';
import { checkLogits, GreenList } from '../schemes/green-list.js';
import type { WatermarkKey } from '../key/key.js';
import type { WatermarkParams } from '../key/params.js';
import { drawWeighted, sampleLogits, samplingWeights, toRandomSource, type SampleOptions } from '../schemes/sampler.js';
import { gumbelChoice } from '../schemes/gumbel-sampler.js';
import { tournamentChoice } from '../schemes/tournament-sampler.js';
import { getTokenizer, TOKENIZER_VOCAB_SIZES, type Tokenizer } from '../key/tokenizer.js';
import { checkAlpha, detectionResult, type DetectionResult, type TokenDetail } from '../detect/detection-result.js';
import { ScoreTape, STATUS, type Dedup, type TokenStatus } from '../detect/score-tape.js';
import { HashBatch } from '../detect/first-occurrences.js';
import { tokenCharSpans } from '../detect/token-spans.js';
import { scanWindows, type SpanResult } from '../detect/windowed.js';
import { concatIds } from '../base/token-ids.js';
import { AccountLayer, type AccountSigner } from '../accounts/account-signer.js';
import { AccountTally } from '../accounts/account-tally.js';
import { decodeAccountFromTally, type AccountDecoding, type DecodeAccountOptions } from '../accounts/decode-account.js';
import { attributeFromTally, type AttributeOptions, type AttributionReport } from '../accounts/attribute-accounts.js';

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

/**
 * Default significance level: conservative, since a false accusation is the worst outcome.
 *
 * @example
 * ```ts
 * watermark.detect(text).alpha === DEFAULT_ALPHA; // true
 * ```
 */
export const DEFAULT_ALPHA = 1e-6;

/**
 * A watermark bound to one key: bias or sample at generation, detect afterwards.
 * Holds no printable secret: `JSON.stringify(watermark)` and `String(watermark)` show the key id only.
 */
export interface Watermark {
  /** Public key id. */
  readonly keyId: string;
  /** Public parameters. */
  readonly params: WatermarkParams;
  /** Logits length expected by `bias` and `sample`. */
  readonly vocabSize: number;
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
  /** Exact test of a text or token ids for this watermark. */
  detect(input: DetectInput, options?: DetectOptions): DetectionResult;
  /** Detects each input separately, or pools all into one test with `pool: true` (one tape). */
  detectBatch(inputs: readonly DetectInput[], options?: DetectOptions & { pool?: false }): DetectionResult[];
  detectBatch(inputs: readonly DetectInput[], options: DetectOptions & { pool: true }): DetectionResult;
  /** Like detect, plus a scan for the most significant span (corrected for the spans scanned). */
  detectSpan(input: DetectInput, options?: DetectOptions & { minScored?: number }): SpanDetectionResult;
  /** True if `token` is green after `context` (needs at least `window` context tokens). */
  isGreen(context: ArrayLike<number>, token: number): boolean;
  /** The account id embedded by `bias`/`sample`, or `null`. */
  readonly account: number | null;
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
 * Binds a key to a watermark object.
 *
 * @example
 * ```ts
 * const wm = createWatermark(generateKey());
 * const next = wm.sample(contextIds, model.nextLogits(contextIds), { temperature: 0.7 });
 * const verdict = wm.detect(generatedText);
 * console.log(verdict.log10PValue, verdict.watermarked);
 * ```
 */
export function createWatermark(key: WatermarkKey, options: WatermarkOptions = {}): Watermark {
  const { params } = key;
  const vocabSize = options.vocabSize ?? TOKENIZER_VOCAB_SIZES[params.tokenizer]!;
  if (!Number.isInteger(vocabSize) || vocabSize < 2) {
    throw new RadiomarkError('INVALID_ARGUMENT', `vocabSize must be an integer >= 2 (got ${String(vocabSize)})`);
  }
  const greenList = new GreenList(key);
  let layer: AccountLayer | undefined;
  const accountLayer = () => (layer ??= new AccountLayer(key, greenList.seeder));
  const signer = accountSignerOf(options, params, accountLayer);
  const scratch = { logits: new Float32Array(0), uniforms: new Uint32Array(0) };
  // Reused by every single-text detection (detection is synchronous, so never shared at once).
  const sortBuffers = new HashBatch();
  const toIds = (input: DetectInput, what: string) => toTokenIds(input, params.tokenizer, vocabSize, what);

  // Per-token statuses (for details) and scores (for span scans) are recorded only when asked:
  // on long inputs they cost more than the scoring itself.
  const runTape = (inputs: readonly DetectInput[], opts: DetectOptions, tape: ScoreTape, record = { statuses: false, scores: false }) =>
    inputs.map((input) => {
      const ids = toIds(input, 'input');
      const prompt = opts.prompt === undefined ? new Uint32Array(0) : toIds(opts.prompt, 'prompt');
      if (prompt.length > 0) tape.excludePrompt(prompt);
      const all = concatIds(prompt, ids);
      const statuses = record.statuses ? new Uint8Array(all.length) : undefined;
      const scores = record.scores ? new Float64Array(all.length).fill(NaN) : undefined;
      tape.read(all, prompt.length, statuses, scores);
      return { input, ids, statuses: statuses?.subarray(prompt.length), scores: scores?.subarray(prompt.length) };
    });

  const result = (tape: ScoreTape, alpha: number): DetectionResult =>
    detectionResult({
      scoring: greenList.scoring,
      keyId: key.id,
      tokens: tape.tokens,
      scored: tape.scored,
      green: tape.green,
      score: tape.score,
      alpha,
      dedup: tape.dedup,
    });

  const detectOne = (input: DetectInput, opts: DetectOptions = {}, withScores = false) => {
    const alpha = checkAlpha(opts.alpha ?? DEFAULT_ALPHA);
    const tape = new ScoreTape(greenList, checkDedup(opts.dedup), sortBuffers);
    const [read] = runTape([input], opts, tape, { statuses: opts.details === true, scores: withScores });
    const out = result(tape, alpha);
    if (opts.details) out.details = tokenDetails({ ...read!, statuses: read!.statuses! }, params.tokenizer);
    return { out, scores: read!.scores };
  };

  // One tuple-de-duplicated pass over a text that fills the account tally.
  const tallyOf = (input: DetectInput, opts: Pick<DetectOptions, 'prompt'>) => {
    const tally = new AccountTally(accountLayer().marks);
    runTape([input], opts, new ScoreTape(greenList, 'tuple', sortBuffers, tally));
    return tally;
  };

  const biasBoth = (ctx: ArrayLike<number>, logits: Float32Array) => {
    greenList.bias(ctx, logits, params.delta);
    return signer ? signer.bias(ctx, logits) : logits;
  };

  const watermark: Watermark = {
    keyId: key.id,
    params,
    vocabSize,
    account: options.account ?? null,
    bias(context, logits) {
      checkLogits(logits, vocabSize, params.tokenizer);
      if (params.scheme !== 'kgw') {
        throw new RadiomarkError('UNSUPPORTED', `scheme ${params.scheme} does not bias logits (it is distortion-free): use sample()`);
      }
      return biasBoth(checkContext(context, vocabSize), logits);
    },
    sample(context, logits, sampleOptions = {}) {
      checkLogits(logits, vocabSize, params.tokenizer);
      const ctx = checkContext(context, vocabSize);
      const rng = toRandomSource(sampleOptions.rng);
      if (params.scheme !== 'kgw') return sampleDistortionFree(ctx, logits, sampleOptions, rng);
      if (scratch.logits.length !== logits.length) scratch.logits = new Float32Array(logits.length);
      scratch.logits.set(logits);
      biasBoth(ctx, scratch.logits);
      return sampleLogits(scratch.logits, sampleOptions, rng);
    },
    sampleByRejection(context, draw, random) {
      if (params.scheme !== 'kgw') {
        throw new RadiomarkError(
          'UNSUPPORTED',
          `sampleByRejection is for kgw keys; scheme ${params.scheme} needs the full distribution (sample)`,
        );
      }
      const ctx = checkContext(context, vocabSize);
      if (!greenList.hasWindow(ctx)) return checkToken(draw(), vocabSize);
      if (signer) return rejectionWithAccount(ctx, draw, random, signer);
      const keepRed = Math.exp(-params.delta);
      for (;;) {
        const token = checkToken(draw(), vocabSize);
        if (greenList.isGreen(ctx, token) || random() < keepRed) return token;
      }
    },
    detect: (input, opts) => detectOne(input, opts).out,
    detectBatch: ((inputs: readonly DetectInput[], opts: DetectOptions & { pool?: boolean } = {}) => {
      if (!Array.isArray(inputs)) throw new RadiomarkError('INVALID_ARGUMENT', 'detectBatch expects an array of inputs');
      if (!opts.pool) return inputs.map((input) => detectOne(input, opts).out);
      const alpha = checkAlpha(opts.alpha ?? DEFAULT_ALPHA);
      const tape = new ScoreTape(greenList, checkDedup(opts.dedup));
      runTape(inputs, opts, tape);
      return result(tape, alpha);
    }) as Watermark['detectBatch'],
    detectSpan(input, opts = {}) {
      const { out, scores } = detectOne(input, opts, true);
      const span = scanWindows(scores!, greenList.scoring, opts.minScored);
      return { ...out, span };
    },
    isGreen(context, token) {
      const ctx = checkContext(context, vocabSize);
      if (!greenList.hasWindow(ctx)) {
        throw new RadiomarkError('INVALID_ARGUMENT', `context needs at least ${params.window} tokens`);
      }
      return greenList.isGreen(ctx, checkToken(token, vocabSize));
    },
    decodeAccount: (input, opts = {}) => decodeAccountFromTally(tallyOf(input, opts), accountLayer().code, opts),
    attributeAccounts: (input, candidates, opts = {}) => attributeFromTally(tallyOf(input, opts), accountLayer().code, candidates, opts),
  };

  // Target weight e^(delta green + accountDelta marked); a draw from p is kept with probability
  // weight / max weight, which samples the biased distribution exactly.
  function rejectionWithAccount(ctx: ArrayLike<number>, draw: () => number, random: () => number, account: AccountSigner): number {
    for (;;) {
      const token = checkToken(draw(), vocabSize);
      const missing = (greenList.isGreen(ctx, token) ? 0 : params.delta) + (account.isMarked(ctx, token) ? 0 : account.delta);
      if (missing === 0 || random() < Math.exp(-missing)) return token;
    }
  }
  // Gumbel and tournament sampling: deterministic given the key and the window, so a window
  // seen before in this context is sampled plainly (no watermark) instead of repeating itself.
  function sampleDistortionFree(ctx: ArrayLike<number>, logits: Float32Array, opts: SampleOptions, rng: () => number): number {
    const dist = samplingWeights(logits, opts);
    if (!greenList.hasWindow(ctx) || greenList.windowRepeats(ctx)) return drawWeighted(dist, rng);
    const n = dist.weights.length;
    if (scratch.uniforms.length < n) scratch.uniforms = new Uint32Array(n);
    const uniforms = greenList.uniformsOf(ctx, dist.ids, n, scratch.uniforms);
    return params.scheme === 'gumbel' ? gumbelChoice(dist, uniforms) : tournamentChoice(dist, uniforms, params.layers, rng);
  }

  Object.defineProperties(watermark, {
    toJSON: { value: () => ({ keyId: key.id, params }) },
    toString: { value: () => `Watermark(${key})` },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => `Watermark(${key})` },
  });
  return Object.freeze(watermark);
}

function accountSignerOf(options: WatermarkOptions, params: WatermarkParams, layer: () => AccountLayer): AccountSigner | null {
  if (options.account === undefined) {
    if (options.accountDelta !== undefined)
      throw new RadiomarkError('INVALID_ARGUMENT', 'accountDelta needs an account id (the account option)');
    return null;
  }
  const delta = options.accountDelta ?? params.delta;
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta < 0 || delta > 100) {
    throw new RadiomarkError('INVALID_ARGUMENT', `accountDelta must be a number in [0, 100] (got ${String(delta)})`);
  }
  return layer().signer(options.account, delta);
}

function checkDedup(dedup: Dedup | undefined): Dedup {
  const mode = dedup ?? 'tuple';
  if (mode !== 'tuple' && mode !== 'window' && mode !== 'none') {
    throw new RadiomarkError('INVALID_ARGUMENT', `dedup must be "tuple", "window" or "none" (got ${String(dedup)})`);
  }
  return mode;
}

function checkToken(token: number, vocabSize: number): number {
  if (!Number.isInteger(token) || token < 0 || token >= vocabSize) {
    throw new RadiomarkError('INVALID_ARGUMENT', `token id ${String(token)} is outside the vocabulary (0..${vocabSize - 1})`);
  }
  return token;
}

// Only the last `window` tokens matter; validating them is enough and keeps long contexts cheap.
function checkContext(context: ArrayLike<number>, vocabSize: number): ArrayLike<number> {
  if (context === null || typeof context !== 'object' || typeof context.length !== 'number') {
    throw new RadiomarkError('INVALID_ARGUMENT', 'context must be an array of token ids');
  }
  for (let i = Math.max(0, context.length - 8); i < context.length; i++) checkToken(context[i]!, vocabSize);
  return context;
}

function toTokenIds(input: DetectInput, tokenizer: string, vocabSize: number, what: string): Uint32Array {
  if (typeof input === 'string') {
    if (input.length === 0) throw new RadiomarkError('EMPTY_INPUT', `${what} text is empty: nothing to detect`);
    return getTokenizer(tokenizer).encode(input);
  }
  if (input === null || typeof input !== 'object' || typeof input.length !== 'number') {
    throw new RadiomarkError('INVALID_ARGUMENT', `${what} must be a string or an array of token ids`);
  }
  if (input.length === 0) throw new RadiomarkError('EMPTY_INPUT', `${what} has no tokens: nothing to detect`);
  if (input instanceof Uint32Array) {
    // Already integers: only the range needs checking, and no copy is needed.
    for (let i = 0; i < input.length; i++) if (input[i]! >= vocabSize) checkToken(input[i]!, vocabSize);
    return input;
  }
  const ids = new Uint32Array(input.length);
  for (let i = 0; i < input.length; i++) ids[i] = checkToken(input[i]!, vocabSize);
  return ids;
}

const STATUS_NAMES = Object.keys(STATUS) as TokenStatus[];

function tokenDetails(read: { input: DetectInput; ids: Uint32Array; statuses: Uint8Array }, tokenizer: string): TokenDetail[] {
  const spans = typeof read.input === 'string' ? tokenCharSpans(getTokenizer(tokenizer) as Tokenizer, read.ids, read.input) : undefined;
  return Array.from(read.ids, (id, i) => ({
    id,
    ...(spans ? { start: spans.starts[i]!, end: spans.ends[i]! } : {}),
    status: STATUS_NAMES[read.statuses[i]!]!,
  }));
}
