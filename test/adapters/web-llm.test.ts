// radiomark/web-llm. web-llm's engine needs WebGPU and model weights, so its pipeline is
// SIMULATED here. What is real: the `LogitProcessor` and `MLCEngineConfig` types the processor
// is checked against, and web-llm's own `MLCEngine`, constructed in Node with the processor
// in its `logitProcessorRegistry`. What is simulated: `SimulatedPipeline` replays the calls
// LLMChatPipeline (web-llm 0.2.86, lib/index.js) makes: resetChat() → resetState();
// per token: a fresh CPU copy of the logits (toArray) → processLogits → the returned array
// is copied back (copyFrom) → sample → processSampledToken(token) → stop-token check.
import { MLCEngine, type LogitProcessor, type MLCEngineConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { createWatermark } from '../../src/core.js';
import { seededRandom, type RandomSource } from '../../src/base/rng.js';
import { WatermarkLogitProcessor, WatermarkSamplingLogitProcessor } from '../../src/adapters/web-llm.js';
import { ALPHA, fixedKey, gaussianLogits, softmaxSample } from '../helpers/engine-logits.js';

const V = 2000; // tokenizer vocabulary
const FULL = 2048; // web-llm's fullVocabSize: the model's padded logits length
const EOS = 2;
const wm = createWatermark(fixedKey({ window: 3 }), { vocabSize: V });

class SimulatedPipeline {
  private readonly gpuLogits = new Float32Array(FULL); // stands for logitsOnGPU
  private readonly model: (out?: Float32Array) => Float32Array;
  private readonly rng: RandomSource;
  readonly outputIds: number[] = [];

  constructor(
    private readonly logitProcessor: LogitProcessor | undefined,
    seed: number,
  ) {
    this.model = gaussianLogits(V, seed, 1.5, FULL - V);
    this.rng = seededRandom(seed + 1);
  }

  resetChat(): void {
    this.outputIds.length = 0;
    this.logitProcessor?.resetState();
  }

  /** One round (a prefill, then decode steps), each step as sampleTokenFromLogits + commit. */
  generate(maxTokens: number): number[] {
    const round: number[] = [];
    for (let step = 0; step < maxTokens; step++) {
      this.model(this.gpuLogits);
      if (this.logitProcessor !== undefined) {
        let cpu = this.gpuLogits.slice(); // logitsOnCPU.toArray(): a fresh copy each step
        cpu = this.logitProcessor.processLogits(cpu);
        this.gpuLogits.set(cpu); // logitsOnGPU.copyFrom(processed)
      }
      const token = softmaxSample(this.gpuLogits, this.rng);
      this.logitProcessor?.processSampledToken(token); // commitSamplerState
      if (token === EOS) break; // processNextToken: stop tokens end the round
      this.outputIds.push(token);
      round.push(token);
    }
    return round;
  }
}

describe('WatermarkLogitProcessor (web-llm protocol, pipeline simulated)', () => {
  it('type-checks as web-llm’s LogitProcessor and is accepted by a real MLCEngine registry', () => {
    const processor: LogitProcessor = new WatermarkLogitProcessor(wm);
    const config: MLCEngineConfig = { logitProcessorRegistry: new Map([['Llama-3.2-1B-Instruct-q4f16_1-MLC', processor]]) };
    const engine = new MLCEngine(config);
    engine.setLogitProcessorRegistry(config.logitProcessorRegistry);
    expect(typeof processor.processLogits).toBe('function');
  });

  it('biases the CPU logits in place: green ids of the first V entries, padding untouched', () => {
    const processor = new WatermarkLogitProcessor(wm);
    for (const t of [40, 41, 42]) processor.processSampledToken(t);
    const logits = gaussianLogits(V, 3, 1, FULL - V)();
    const before = logits.slice();
    expect(processor.processLogits(logits)).toBe(logits);
    for (let v = 0; v < FULL; v++) {
      const delta = v < V && wm.isGreen([40, 41, 42], v) ? 2 : 0;
      expect(logits[v]).toBe(Math.fround(before[v]! + delta));
    }
  });

  it('a round of 300 sampled tokens is watermarked (p < 1e-6); without the processor it is not', () => {
    const processor = new WatermarkLogitProcessor(wm);
    const pipeline = new SimulatedPipeline(processor, 50);
    pipeline.resetChat();
    const reply = pipeline.generate(300);
    expect(reply.length).toBeGreaterThan(250);
    expect(Array.from(processor.tokens).slice(0, reply.length)).toEqual(reply);
    const result = wm.detect(reply);
    expect(result.log10PValue).toBeLessThan(Math.log10(ALPHA));

    const clean = new SimulatedPipeline(undefined, 60);
    expect(wm.detect(clean.generate(300)).watermarked).toBe(false);
  });

  it('keeps its context across turns until resetChat() calls resetState()', () => {
    const processor = new WatermarkLogitProcessor(wm);
    const pipeline = new SimulatedPipeline(processor, 70);
    pipeline.resetChat();
    const first = pipeline.generate(150);
    const second = pipeline.generate(150);
    expect(processor.tokens.length).toBeGreaterThanOrEqual(first.length + second.length);
    // Both turns are marked, and the second turn's first tokens were seeded by the first turn.
    expect(wm.detect([...first, ...second]).log10PValue).toBeLessThan(Math.log10(ALPHA));
    pipeline.resetChat();
    expect(processor.tokens.length).toBe(0);
  });

  it('without a known context the first h tokens are unbiased; `context` marks them too', () => {
    const logits = new Float32Array(FULL);
    const fresh = new WatermarkLogitProcessor(wm);
    fresh.processLogits(logits);
    expect(logits.every((x) => x === 0)).toBe(true);
    const withPrompt = new WatermarkLogitProcessor(wm, { context: [7, 8, 9] });
    withPrompt.processLogits(logits);
    expect(logits.some((x) => x !== 0)).toBe(true);
    withPrompt.processSampledToken(5);
    withPrompt.resetState();
    expect(withPrompt.tokens.length).toBe(0);
  });
});

describe.each(['gumbel', 'synthid'] as const)('WatermarkSamplingLogitProcessor (%s, web-llm protocol, pipeline simulated)', (scheme) => {
  const chooser = createWatermark(fixedKey({ scheme, window: 3 }), { vocabSize: V });

  it('type-checks as web-llm’s LogitProcessor; forced choices give p < 1e-6 over 300 tokens, clean without', () => {
    const processor: LogitProcessor = new WatermarkSamplingLogitProcessor(chooser, { rng: 5, context: [7, 8, 9] });
    expect(() => new MLCEngine({ logitProcessorRegistry: new Map([['m', processor]]) } satisfies MLCEngineConfig)).not.toThrow();
    const pipeline = new SimulatedPipeline(processor, 80);
    pipeline.resetChat();
    const reply = pipeline.generate(300);
    expect(reply.length).toBeGreaterThan(250);
    expect((processor as WatermarkSamplingLogitProcessor).tokens.slice(0, reply.length)).toEqual(reply);
    expect(chooser.detect(reply, { prompt: [7, 8, 9] }).log10PValue).toBeLessThan(Math.log10(ALPHA));
    expect(chooser.detect(new SimulatedPipeline(undefined, 90).generate(300), { prompt: [7, 8, 9] }).watermarked).toBe(false);
  });
});
