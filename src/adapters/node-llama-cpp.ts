/**
 * radiomark/node-llama-cpp: watermark what node-llama-cpp 3 generates. node-llama-cpp has
 * no logits hook; its `tokenBias` option may be a function, which it calls again before
 * every sampled token. This module builds that function from the running context.
 *
 * @module
 */
import { TokenBias, type LlamaContextSequence, type LlamaModel, type Token, type Tokenizer } from 'node-llama-cpp';
import { RadiomarkError } from '../base/errors.js';
import type { Watermark } from '../watermark/watermark.js';
import { assertLogitBias, biasEngineRow } from './engine-logits.js';
import { TokenChooser, type EngineSamplingOptions } from './engine-sampling.js';

const WHERE = 'WatermarkTokenBias';

/**
 * Options of {@link WatermarkTokenBias}.
 *
 * @example
 * ```ts
 * new WatermarkTokenBias(model, wm, { context: model.tokenize(prompt) });
 * ```
 */
export interface WatermarkTokenBiasOptions {
  /**
   * Token ids that precede the first generated token (the tokenized prompt, as the model
   * sees it), so that the first tokens are watermarked too. Default: none, so the first
   * `window` generated tokens are unbiased.
   */
  context?: ArrayLike<number>;
}

/**
 * A watermark for node-llama-cpp 3: `tokenBias` is a function-valued `tokenBias` option that
 * returns, for the current context, a `TokenBias` adding `{ logit: delta }` to every green
 * token (and, for a watermark with an account id, the account's bias to its marked tokens) (node-llama-cpp applies it first in llama.cpp's sampler chain, before penalties,
 * top-k, top-p and temperature, as KGW prescribes). Feed it each generated token with
 * `push` or the `onToken` callback.
 *
 * Limitations (measured or read from node-llama-cpp 3.21 and 3.22):
 * - O(V) per token: the green list is computed over the whole vocabulary and handed over as a
 *   `TokenBias` of about gamma * V entries (~32k for a 128k vocabulary), which node-llama-cpp
 *   copies again into typed arrays for the native sampler. Measured for V = 128,256 on a busy
 *   2-core machine: ~6 ms for the green list, ~17 ms in `TokenBias.set`, ~11 ms in
 *   node-llama-cpp's copy, per token. Small vocabularies cost little; a 128k one is felt.
 * - Token ids are llama.cpp's: create the watermark with the model's vocabulary size
 *   (n_vocab) and detect on the generated ids (`wm.detect(bias.tokens)`); re-tokenizing the
 *   text may give other ids. End-of-generation tokens are never biased (TokenBias skips them).
 * - The context is what you feed it. With `sequence.evaluate()` (push each yielded token
 *   before asking for the next) it is exact. With `LlamaCompletion` / `LlamaChatSession`,
 *   pass `onToken`: node-llama-cpp holds a token back while it may still complete a
 *   multi-byte character or a stop string, and the steps in between use a stale window.
 *   Those steps are watermarked with the wrong green list: detection power drops, the
 *   p-value stays exact. How much depends on the text: on a random-weight byte-level model,
 *   where most tokens are incomplete characters, 300 tokens gave log10 p = -16 through
 *   `LlamaCompletion` against -62 through `evaluate()`; ordinary text holds few tokens back.
 *   Chat templates are invisible here, so without `context` the first `window` tokens of a
 *   reply are unbiased (and unscored when detecting the reply).
 * - Do not combine with a token predictor (speculative decoding): its draft positions are
 *   sampled before their tokens are pushed.
 *
 * @example
 * ```ts
 * import { getLlama, LlamaCompletion } from 'node-llama-cpp';
 * import { createWatermark, loadKey } from 'radiomark';
 * import { WatermarkTokenBias } from 'radiomark/node-llama-cpp';
 *
 * const model = await (await getLlama()).loadModel({ modelPath: 'model.gguf' });
 * const context = await model.createContext();
 * const nVocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length; // llama.cpp's n_vocab
 * const wm = createWatermark(await loadKey('provider.key'), { vocabSize: nVocab });
 * const prompt = 'The history of the river';
 * const bias = new WatermarkTokenBias(model, wm, { context: model.tokenize(prompt) });
 * const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
 * const text = await completion.generateCompletion(prompt, {
 *   maxTokens: 300, temperature: 0.8, tokenBias: bias.tokenBias, onToken: bias.onToken,
 * });
 * wm.detect(bias.tokens).log10PValue;
 * ```
 */
export class WatermarkTokenBias {
  /** The watermark applied at each step. */
  readonly watermark: Watermark;
  /** Pass as the `tokenBias` option: node-llama-cpp calls it before sampling each token. */
  readonly tokenBias: () => TokenBias;
  /** Pass as the `onToken` option of `LlamaCompletion` / `LlamaChatSession.prompt`. */
  readonly onToken: (tokens: readonly Token[]) => void;

  private readonly tokenizer: Tokenizer;
  private readonly initial: number[];
  private ids: number[];
  private readonly scratch: Float32Array;
  private readonly byValue = new Map<number, Token[]>();
  private last: { window: string; bias: TokenBias } | undefined;

  /**
   * @param model - the `LlamaModel` (or its `tokenizer`) that generates: node-llama-cpp
   *   rejects a TokenBias built for another model's tokenizer.
   */
  constructor(model: LlamaModel | Tokenizer, watermark: Watermark, options: WatermarkTokenBiasOptions = {}) {
    assertLogitBias(watermark, WHERE);
    if (!(watermark.params.delta > 0)) {
      throw new RadiomarkError('INVALID_ARGUMENT', `${WHERE}: the key's delta must be > 0 to mark green tokens`);
    }
    this.watermark = watermark;
    this.tokenizer = 'tokenizer' in model ? model.tokenizer : model;
    if (typeof this.tokenizer !== 'function' || typeof this.tokenizer.isEogToken !== 'function') {
      throw new RadiomarkError('INVALID_ARGUMENT', `${WHERE}: expected a node-llama-cpp LlamaModel or its tokenizer`);
    }
    this.initial = Array.from(options.context ?? [], checkId);
    this.ids = this.initial.slice();
    this.scratch = new Float32Array(watermark.vocabSize);
    this.tokenBias = () => this.currentBias();
    this.onToken = (tokens) => this.push(tokens);
  }

  /** Ids generated since construction or the last `reset()` (`context` excluded). */
  get tokens(): number[] {
    return this.ids.slice(this.initial.length);
  }

  /** Appends generated token(s) to the context. */
  push(tokens: number | readonly number[]): void {
    if (typeof tokens === 'number') this.ids.push(checkId(tokens));
    else for (const t of tokens) this.ids.push(checkId(t));
  }

  /** Starts a new generation: forgets the generated tokens; a new `context` may be given. */
  reset(context?: ArrayLike<number>): void {
    if (context !== undefined) this.initial.splice(0, this.initial.length, ...Array.from(context, checkId));
    this.ids = this.initial.slice();
  }

  private currentBias(): TokenBias {
    const h = this.watermark.params.window;
    const window = this.ids.slice(Math.max(0, this.ids.length - h));
    const key = window.join(',');
    // node-llama-cpp may ask again before anything was sampled (a new batch, a retry).
    if (this.last?.window === key) return this.last.bias;
    const bias = new TokenBias(this.tokenizer);
    if (window.length === h) {
      const scores = this.scratch.fill(0);
      biasEngineRow(this.watermark, window, scores, WHERE);
      // Green tokens get delta; with an account id, its marked tokens get accountDelta on top
      // (or alone): one TokenBias entry per distinct value, so the bias is exactly wm.bias().
      const byValue = this.byValue;
      byValue.clear();
      for (let v = 0; v < scores.length; v++) {
        const value = scores[v]!;
        if (value === 0) continue;
        let tokens = byValue.get(value);
        if (!tokens) byValue.set(value, (tokens = []));
        tokens.push(v as Token);
      }
      for (const [value, tokens] of byValue) bias.set(tokens, { logit: value });
    }
    this.last = { window: key, bias };
    return bias;
  }
}

function checkId(id: number): number {
  if (!Number.isInteger(id) || id < 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${WHERE}: token id ${String(id)} is not a non-negative integer`);
  }
  return id;
}

const SAMPLING = 'generateWatermarked';

/**
 * Options of {@link generateWatermarked}.
 *
 * @example
 * ```ts
 * const options: GenerateWatermarkedOptions = { maxTokens: 300, temperature: 0.8, rng: 7 };
 * ```
 */
export interface GenerateWatermarkedOptions extends EngineSamplingOptions {
  /** Tokens to generate at most. */
  maxTokens: number;
  /** Stop after an end-of-generation token (it is yielded). Default true. */
  stopOnEog?: boolean;
}

/**
 * Generates with a token-choosing watermark (`gumbel`, `synthid`; a `kgw` key works too) on a
 * node-llama-cpp 3 context sequence: a generation loop of its own over
 * `sequence.controlledEvaluate`, which asks llama.cpp for the next token's full probability
 * list at temperature 1 (no top-k, top-p or min-p), hands log-probabilities to
 * `watermark.sample` (which applies this function's temperature, top-k and top-p) and feeds the
 * chosen token back. node-llama-cpp's own generation paths (`evaluate`, `LlamaCompletion`,
 * `LlamaChatSession`) let a library bias logits (`tokenBias`, see {@link WatermarkTokenBias})
 * but not choose the token, so distortion-free schemes need this loop; `WatermarkTokenBias`
 * refuses them with `UNSUPPORTED`.
 *
 * Costs: llama.cpp copies the whole probability list to JS at every step (a Map of n_vocab
 * entries), which dominates for large vocabularies. Token ids are llama.cpp's: create the
 * watermark with the model's n_vocab and detect on the yielded ids with `{ prompt }`. The
 * sequence's history is cleared first; the prompt is evaluated, then one token per step.
 *
 * @example
 * ```ts
 * const sequence = (await model.createContext()).getSequence();
 * const nVocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length; // llama.cpp's n_vocab
 * const wm = createWatermark(await loadKey('gumbel.key'), { vocabSize: nVocab });
 * const prompt = model.tokenize('The history of the river');
 * const ids: number[] = [];
 * for await (const token of generateWatermarked(sequence, wm, prompt, { maxTokens: 300 })) ids.push(token);
 * wm.detect(ids, { prompt }).log10PValue;
 * ```
 */
export async function* generateWatermarked(
  sequence: LlamaContextSequence,
  watermark: Watermark,
  prompt: readonly Token[],
  options: GenerateWatermarkedOptions,
): AsyncGenerator<Token, void, undefined> {
  const { maxTokens, stopOnEog = true } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${SAMPLING}: maxTokens must be an integer >= 0 (got ${String(maxTokens)})`);
  }
  if (prompt.length === 0) throw new RadiomarkError('INVALID_ARGUMENT', `${SAMPLING}: the prompt needs at least one token`);
  const chooser = new TokenChooser(watermark, options, SAMPLING);
  const tokenizer = sequence.model.tokenizer;
  const context = Array.from(prompt, checkId);
  const row = new Float32Array(watermark.vocabSize);
  const next = { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } } as const;
  await sequence.clearHistory();
  let input: Parameters<LlamaContextSequence['controlledEvaluate']>[0] = [...prompt.slice(0, -1), [prompt[prompt.length - 1]!, next]];
  for (let step = 0; step < maxTokens; step++) {
    const results = await sequence.controlledEvaluate(input);
    const probabilities = results[input.length - 1]?.next?.probabilities;
    if (probabilities === undefined) throw new RadiomarkError('MODEL', `${SAMPLING}: llama.cpp returned no probabilities`);
    row.fill(-Infinity);
    for (const [token, p] of probabilities) if (token < row.length && p > 0) row[token] = Math.log(p);
    const token = chooser.choose(context, row) as Token;
    context.push(token);
    yield token;
    if (stopOnEog && tokenizer.isEogToken(token)) return;
    input = [[token, next]];
  }
}
