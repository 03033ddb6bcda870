// radiomark/transformers against the real @huggingface/transformers package: its Tensor,
// LogitsProcessorList and, with a weightless model whose forward() returns random logits,
// its own PreTrainedModel.generate() loop and LogitsSampler. No weights are loaded.
import { LogitsProcessorList, PreTrainedModel, Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { createWatermark, isRadiomarkError } from '../../src/core.js';
import { seededRandom } from '../../src/base/rng.js';
import { WatermarkLogitsProcessor, WatermarkSamplingProcessor } from '../../src/adapters/transformers.js';
import { ALPHA, fixedKey, gaussianLogits, softmaxSample } from '../helpers/engine-logits.js';

const V = 1000; // the watermark's (tokenizer's) vocabulary
const PAD = 24; // the model's output layer is padded to V + PAD logits
const key = fixedKey();
const wm = createWatermark(key, { vocabSize: V });

describe('WatermarkLogitsProcessor through LogitsProcessorList', () => {
  it('biases each batch row in place from that row’s bigint ids; padding untouched', () => {
    const list = new LogitsProcessorList();
    list.push(new WatermarkLogitsProcessor(wm));
    const draw = gaussianLogits(V, 1, 1, PAD);
    const data = new Float32Array(2 * (V + PAD));
    data.set(draw(), 0);
    data.set(draw(), V + PAD);
    const before = data.slice();
    const logits = new Tensor('float32', data, [2, V + PAD]);
    const inputIds = [
      [5n, 17n, 42n],
      [9n, 600n, 3n],
    ];
    const out = list(inputIds, logits) as Tensor;
    expect(out).toBe(logits);
    expect(out.data).toBe(data);
    for (let row = 0; row < 2; row++) {
      const ctx = inputIds[row]!.slice(-2).map(Number);
      for (let v = 0; v < V + PAD; v++) {
        const i = row * (V + PAD) + v;
        const delta = v < V && wm.isGreen(ctx, v) ? 2 : 0;
        expect(data[i]).toBe(Math.fround(before[i]! + delta));
      }
    }
  });

  it('leaves a row unbiased when its window is shorter than h or holds an id outside the vocabulary', () => {
    const processor = new WatermarkLogitsProcessor(wm);
    const data = gaussianLogits(V, 2, 1, PAD)();
    const before = data.slice();
    processor._call([[7n]], new Tensor('float32', data, [1, V + PAD]));
    processor._call([[7n, BigInt(V + 3)]], new Tensor('float32', data, [1, V + PAD]));
    expect(data).toEqual(before);
  });

  it('rejects logits shorter than the watermark’s vocabulary, and non-KGW keys', () => {
    const processor = new WatermarkLogitsProcessor(wm);
    const short = new Tensor('float32', new Float32Array(V - 1), [1, V - 1]);
    expect(() => processor._call([[1n, 2n]], short)).toThrowError(/vocabSize: 999/);
    try {
      new WatermarkLogitsProcessor(createWatermark(fixedKey({ scheme: 'gumbel' }), { vocabSize: V }));
      expect.unreachable();
    } catch (e) {
      expect(isRadiomarkError(e, 'UNSUPPORTED')).toBe(true);
    }
  });

  it('a synthetic loop (random logits Tensor → list → sample → append) is detectable, and clean without it', () => {
    const generate = (watermarked: boolean, seed: number) => {
      const list = new LogitsProcessorList();
      if (watermarked) list.push(new WatermarkLogitsProcessor(wm));
      const model = gaussianLogits(V, seed, 1.5, PAD);
      const rng = seededRandom(seed + 1);
      const prompt = [11n, 12n, 13n];
      const rows = [prompt.slice(), prompt.slice()]; // batch of two sequences
      for (let step = 0; step < 300; step++) {
        const data = new Float32Array(rows.length * (V + PAD));
        for (let r = 0; r < rows.length; r++) data.set(model(), r * (V + PAD));
        const scores = list(rows, new Tensor('float32', data, [rows.length, V + PAD])) as Tensor;
        const flat = scores.data as Float32Array;
        for (let r = 0; r < rows.length; r++) {
          rows[r]!.push(BigInt(softmaxSample(flat.subarray(r * (V + PAD), (r + 1) * (V + PAD)), rng)));
        }
      }
      return rows.map((row) => wm.detect(row.slice(3).map(Number), { prompt: [11, 12, 13] }));
    };
    for (const result of generate(true, 10)) {
      expect(result.scored).toBeGreaterThan(250);
      expect(result.log10PValue).toBeLessThan(Math.log10(ALPHA));
      expect(result.watermarked).toBe(true);
    }
    for (const result of generate(false, 20)) expect(result.watermarked).toBe(false);
  });
});

// A causal LM without weights: forward() returns fresh random logits, so generate() runs its
// real loop (logits processors, LogitsSampler, stopping criteria) around it.
class WeightlessLM extends PreTrainedModel {
  private readonly draw: (out?: Float32Array) => Float32Array;

  constructor(seed: number) {
    super({ model_type: 'weightless', vocab_size: V + PAD, architectures: [] } as never, {}, {});
    (this as unknown as { can_generate: boolean }).can_generate = true;
    this.draw = gaussianLogits(V, seed, 1.5, PAD);
  }

  override prepare_inputs_for_generation(_ids: bigint[][], inputs: Record<string, Tensor>): Record<string, Tensor> {
    return inputs;
  }

  override async forward(inputs: Record<string, Tensor>): Promise<{ logits: Tensor }> {
    const batch = inputs.input_ids!.dims[0]!;
    const data = new Float32Array(batch * (V + PAD));
    for (let b = 0; b < batch; b++) data.set(this.draw(), b * (V + PAD));
    return { logits: new Tensor('float32', data, [batch, 1, V + PAD]) };
  }

  override _update_model_kwargs_for_generation({
    generated_input_ids,
    model_inputs,
  }: {
    generated_input_ids: bigint[][];
    model_inputs: Record<string, Tensor>;
  }) {
    model_inputs.input_ids = new Tensor('int64', BigInt64Array.from(generated_input_ids.flat()), [generated_input_ids.length, 1]);
    return model_inputs;
  }
}

describe('WatermarkLogitsProcessor in transformers.js generate()', () => {
  const prompt = [101, 523, 203];
  const run = async (processors: (WatermarkLogitsProcessor | WatermarkSamplingProcessor)[], seed: number) => {
    const model = new WeightlessLM(seed);
    const inputs = new Tensor('int64', BigInt64Array.from([...prompt, ...prompt.map((x) => x + 1)].map(BigInt)), [2, 3]);
    const logits_processor = new LogitsProcessorList();
    logits_processor.extend(processors);
    const out = (await model.generate({ inputs, logits_processor, max_new_tokens: 300, do_sample: true, top_k: 0 })) as Tensor;
    expect(out.dims).toEqual([2, 303]);
    return (out.tolist() as bigint[][]).map((row) => row.map(Number));
  };

  it('marks what generate() samples (p < 1e-6 over 300 tokens per row)', async () => {
    const rows = await run([new WatermarkLogitsProcessor(wm)], 30);
    for (const row of rows) {
      const result = wm.detect(row.slice(3), { prompt: row.slice(0, 3) });
      expect(result.log10PValue).toBeLessThan(Math.log10(ALPHA));
    }
  });

  it('leaves generate() unmarked without the processor', async () => {
    const rows = await run([], 40);
    for (const row of rows) expect(wm.detect(row.slice(3), { prompt: row.slice(0, 3) }).watermarked).toBe(false);
  });
});

describe.each(['gumbel', 'synthid'] as const)('WatermarkSamplingProcessor (%s) in transformers.js generate()', (scheme) => {
  const chooser = createWatermark(fixedKey({ scheme, window: 2 }), { vocabSize: V });
  const prompt = [101, 523, 203];
  const run = async (processor: WatermarkSamplingProcessor | null, seed: number, doSample: boolean) => {
    const model = new WeightlessLM(seed);
    const inputs = new Tensor('int64', BigInt64Array.from([...prompt, ...prompt.map((x) => x + 1)].map(BigInt)), [2, 3]);
    const logits_processor = new LogitsProcessorList();
    if (processor) logits_processor.push(processor);
    const out = (await model.generate({ inputs, logits_processor, max_new_tokens: 300, do_sample: doSample, top_k: 0 })) as Tensor;
    expect(out.dims).toEqual([2, 303]);
    return (out.tolist() as bigint[][]).map((row) => row.map(Number));
  };

  it('forces the watermark’s choice through generate() (sampling or greedy): p < 1e-6 over 300 tokens per row', async () => {
    for (const doSample of [true, false]) {
      const rows = await run(new WatermarkSamplingProcessor(chooser, { rng: 3 }), doSample ? 31 : 32, doSample);
      for (const row of rows) {
        expect(row.slice(3).every((id) => id < V)).toBe(true); // padding never chosen
        expect(chooser.detect(row.slice(3), { prompt: row.slice(0, 3) }).log10PValue).toBeLessThan(Math.log10(ALPHA));
      }
    }
    for (const row of await run(null, 41, true)) {
      expect(chooser.detect(row.slice(3), { prompt: row.slice(0, 3) }).watermarked).toBe(false);
    }
  });

  it('is refused by the logit-bias processor with UNSUPPORTED', () => {
    let error: unknown;
    try {
      new WatermarkLogitsProcessor(chooser);
    } catch (e) {
      error = e;
    }
    expect(isRadiomarkError(error, 'UNSUPPORTED')).toBe(true);
  });
});
