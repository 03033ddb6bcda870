// radiomark/node-llama-cpp, two ways.
//
// 1. Unit level. Real: node-llama-cpp's own `TokenBias` class (built and filled by the adapter
//    through its public constructor and `set`) and the `Tokenizer` type the stand-in tokenizer
//    is checked against. Simulated: the tokenizer (a function plus the methods TokenBias uses)
//    and the sequence loop, which mirrors LlamaContextSequence._evaluate (node-llama-cpp 3.21):
//    before each sample it calls the function-valued tokenBias, reads the TokenBias's
//    `_biases` map exactly as getTokenBiasesForAddon does, and adds each bias to its token's
//    logit, as llama.cpp's logit-bias sampler does first in the chain.
// 2. End to end, all real except the weights: node-llama-cpp's prebuilt llama.cpp loads a
//    tiny random-weight Llama that the test writes as a GGUF file (tiny-gguf.ts), and generates
//    through LlamaContextSequence.evaluate() and LlamaCompletion with the function-valued
//    tokenBias; the native sampler applies the biases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getLlama,
  LlamaCompletion,
  TokenBias,
  type Llama,
  type LlamaContext,
  type LlamaModel,
  type Token,
  type Tokenizer,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWatermark } from '../../src/core.js';
import { seededRandom } from '../../src/base/rng.js';
import { generateWatermarked, WatermarkTokenBias } from '../../src/adapters/node-llama-cpp.js';
import { ALPHA, fixedKey, gaussianLogits, softmaxSample } from '../helpers/engine-logits.js';
import { TINY_VOCAB, writeTinyLlama } from '../helpers/tiny-gguf.js';

const V = 3000;
const EOS = 2 as Token;
const wm = createWatermark(fixedKey({ window: 2, gamma: 0.25, delta: 2 }), { vocabSize: V });

// One token per character code: enough for TokenBias, which only tokenizes string input.
const tokenizer: Tokenizer = Object.assign((text: string) => Array.from(text, (c) => (c.charCodeAt(0) % V) as Token), {
  detokenize: (tokens: readonly Token[]) => String.fromCharCode(...tokens),
  isSpecialToken: (token: Token) => token === EOS,
  isEogToken: (token: Token) => token === EOS,
}) as Tokenizer;

/** What node-llama-cpp hands the native sampler for a tokenBias option (getTokenBiasesForAddon). */
function resolveBiases(tokenBias: TokenBias | (() => TokenBias)): Map<number, number> {
  const bias = tokenBias instanceof Function ? tokenBias() : tokenBias;
  expect(bias).toBeInstanceOf(TokenBias);
  const internal = bias as unknown as { _tokenizer: Tokenizer; _biases: Map<number, number> };
  expect(internal._tokenizer).toBe(tokenizer); // node-llama-cpp rejects another model's TokenBias
  return internal._biases;
}

/** sequence.evaluate(): sample, yield, and let the consumer see the token before the next step. */
function* evaluate(tokenBias: (() => TokenBias) | undefined, seed: number, maxTokens: number): Generator<number> {
  const model = gaussianLogits(V, seed, 1.5);
  const rng = seededRandom(seed + 1);
  for (let i = 0; i < maxTokens; i++) {
    const logits = model();
    if (tokenBias) for (const [token, value] of resolveBiases(tokenBias)) logits[token]! += value;
    yield softmaxSample(logits, rng);
  }
}

describe('WatermarkTokenBias (real TokenBias, simulated sequence)', () => {
  it('builds a real TokenBias: +delta logit on exactly the green tokens, never on EOG', () => {
    const bias = new WatermarkTokenBias(tokenizer, wm, { context: [100, 200, 300] });
    const biases = resolveBiases(bias.tokenBias);
    for (let v = 0; v < V; v++) {
      const green = wm.isGreen([200, 300], v) && v !== EOS;
      expect(biases.get(v)).toBe(green ? 2 : undefined);
    }
    expect(biases.size).toBeGreaterThan(0.2 * V);
    expect(biases.size).toBeLessThan(0.3 * V);
    expect(bias.tokenBias()).toBe(bias.tokenBias()); // same window: the same object
  });

  it('is empty until the context holds a full window', () => {
    const bias = new WatermarkTokenBias(tokenizer, wm);
    expect(resolveBiases(bias.tokenBias).size).toBe(0);
    bias.push(5);
    expect(resolveBiases(bias.tokenBias).size).toBe(0);
    bias.push([6]);
    expect(resolveBiases(bias.tokenBias).size).toBeGreaterThan(0);
  });

  it('marks a sequence.evaluate() stream (p < 1e-6 over 300 tokens); clean without it', () => {
    const prompt = [10, 20, 30];
    const bias = new WatermarkTokenBias(tokenizer, wm, { context: prompt });
    for (const token of evaluate(bias.tokenBias, 90, 300)) bias.push(token);
    expect(bias.tokens.length).toBe(300);
    const marked = wm.detect(bias.tokens, { prompt });
    expect(marked.log10PValue).toBeLessThan(Math.log10(ALPHA));

    const clean = Array.from(evaluate(undefined, 91, 300));
    expect(wm.detect(clean, { prompt }).watermarked).toBe(false);
  });

  it('survives onToken held back as LlamaCompletion does (stale windows cost power, not validity)', () => {
    const bias = new WatermarkTokenBias(tokenizer, wm);
    const generated: number[] = [];
    const held: number[] = [];
    let step = 0;
    for (const token of evaluate(bias.tokenBias, 92, 400)) {
      generated.push(token);
      held.push(token);
      // Hold every 7th token back for one step (a partial character or stop-string prefix).
      if (step++ % 7 === 3) continue;
      bias.onToken(held.splice(0) as Token[]);
    }
    bias.onToken(held.splice(0) as Token[]);
    expect(bias.tokens).toEqual(generated);
    expect(wm.detect(generated).log10PValue).toBeLessThan(Math.log10(ALPHA));
  });

  it('reset() starts a new generation, optionally from a new context', () => {
    const bias = new WatermarkTokenBias(tokenizer, wm, { context: [1, 3] });
    bias.push([4, 5]);
    bias.reset();
    expect(bias.tokens).toEqual([]);
    bias.reset([8, 9]);
    expect(resolveBiases(bias.tokenBias).get(Array.from({ length: V }, (_, v) => v).find((v) => v !== EOS && wm.isGreen([8, 9], v))!)).toBe(
      2,
    );
  });
});

describe('WatermarkTokenBias with the real llama.cpp engine (random-weight GGUF written here)', () => {
  const tinyWm = createWatermark(fixedKey({ window: 2 }), { vocabSize: TINY_VOCAB });
  let dir: string;
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radiomark-gguf-'));
    writeTinyLlama(join(dir, 'tiny.gguf'));
    // The prebuilt CPU binary; a missing binary fails the test (never a silent skip).
    llama = await getLlama({ gpu: false, build: 'never', progressLogs: false });
    model = await llama.loadModel({ modelPath: join(dir, 'tiny.gguf') });
    // One thread: ggml's spinning workers starve each other on a busy 2-core machine.
    context = await model.createContext({ contextSize: 1024, threads: 1 });
  }, 60_000);

  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sample = { temperature: 1, topK: 0, topP: 1 };

  it('sequence.evaluate(): pushing each token before the next gives exact windows (p < 1e-6)', async () => {
    const sequence = context.getSequence();
    const prompt = model.tokenize('The river');
    const bias = new WatermarkTokenBias(model, tinyWm, { context: prompt });
    for await (const token of sequence.evaluate(prompt, { ...sample, seed: 1, tokenBias: bias.tokenBias })) {
      bias.push(token);
      if (bias.tokens.length === 300) break;
    }
    expect(tinyWm.detect(bias.tokens, { prompt }).log10PValue).toBeLessThan(Math.log10(ALPHA));

    await sequence.clearHistory();
    const clean: number[] = [];
    for await (const token of sequence.evaluate(prompt, { ...sample, seed: 1 })) {
      clean.push(token);
      if (clean.length === 300) break;
    }
    expect(tinyWm.detect(clean, { prompt }).watermarked).toBe(false);
    sequence.dispose();
  });

  it.each(['gumbel', 'synthid'] as const)(
    'generateWatermarked (%s): llama.cpp probabilities, the watermark chooses; p < 1e-6 over 300 tokens, clean without',
    async (scheme) => {
      const chooser = createWatermark(fixedKey({ scheme, window: 2 }), { vocabSize: TINY_VOCAB });
      expect(() => new WatermarkTokenBias(model, chooser)).toThrowError(/chooses the token/);
      const sequence = context.getSequence();
      const prompt = model.tokenize('The river');
      const ids: number[] = [];
      for await (const token of generateWatermarked(sequence, chooser, prompt, { maxTokens: 300, stopOnEog: false, rng: 4 })) {
        ids.push(token);
      }
      expect(ids.length).toBe(300);
      expect(chooser.detect(ids, { prompt }).log10PValue).toBeLessThan(Math.log10(ALPHA));

      await sequence.clearHistory();
      const clean: number[] = [];
      for await (const token of sequence.evaluate(prompt, { ...sample, seed: 3 })) {
        clean.push(token);
        if (clean.length === 300) break;
      }
      expect(chooser.detect(clean, { prompt }).watermarked).toBe(false);
      sequence.dispose();
    },
    120_000,
  );

  it('LlamaCompletion with onToken: re-evaluated every token, still detected', async () => {
    const sequence = context.getSequence();
    const prompt = 'The river';
    const bias = new WatermarkTokenBias(model, tinyWm, { context: model.tokenize(prompt) });
    let calls = 0;
    const tokenBias = () => {
      calls++;
      return bias.tokenBias();
    };
    await new LlamaCompletion({ contextSequence: sequence }).generateCompletion(prompt, {
      ...sample,
      seed: 2,
      maxTokens: 300,
      tokenBias,
      onToken: bias.onToken,
    });
    expect(calls).toBe(300);
    expect(bias.tokens.length).toBe(300);
    // This model emits lone bytes, so node-llama-cpp often holds a token back (an incomplete
    // UTF-8 character) and the next window is stale: weaker than evaluate(), still far below alpha.
    expect(tinyWm.detect(bias.tokens, { prompt: model.tokenize(prompt) }).log10PValue).toBeLessThan(Math.log10(ALPHA));
    sequence.dispose();
  });
});
