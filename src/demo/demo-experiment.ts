import type { DetectionResult } from '../detect/detection-result.js';
import { generateTokens } from '../watermark/generate.js';
import type { LanguageModel } from '../model/language-model.js';
import { seededRandom } from '../base/rng.js';
import type { SampleOptions } from '../schemes/sampler.js';
import type { Tokenizer } from '../key/tokenizer.js';
import type { Watermark } from '../watermark/watermark.js';

/** One generated continuation and its detection. */
export interface DemoSample {
  watermarked: boolean;
  prompt: string;
  promptIds: Uint32Array;
  completion: string;
  completionIds: Uint32Array;
  detection: DetectionResult;
}

/** Summary of a demo run; `--json` prints it. */
export interface DemoSummary {
  /** Share of watermarked continuations detected at `alpha`. */
  tpr: number;
  /** Share of unwatermarked continuations (wrongly) detected at `alpha`. */
  fpr: number;
  alpha: number;
  samples: { watermarked: number; unwatermarked: number };
  tokensPerSample: number;
  medianLog10P: { watermarked: number; unwatermarked: number };
  tokensPerSecond: { generationWatermarked: number; generationPlain: number; detection: number };
}

/** Inputs of {@link runDemoExperiment}. */
export interface DemoExperimentOptions {
  model: LanguageModel;
  tokenizer: Tokenizer;
  watermark: Watermark;
  prompts: readonly Uint32Array[];
  tokensPerSample: number;
  alpha: number;
  sampling: SampleOptions;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Generates a watermarked and an unwatermarked continuation of each prompt, detects all of
 * them (prompt windows excluded), and measures rates and speeds.
 *
 * @example
 * ```ts
 * const { summary } = await runDemoExperiment({ model, tokenizer, watermark, prompts, tokensPerSample: 200, alpha: 1e-6, sampling: {}, seed: 1 });
 * ```
 */
export async function runDemoExperiment(o: DemoExperimentOptions): Promise<{ samples: DemoSample[]; summary: DemoSummary }> {
  const rng = seededRandom(o.seed);
  const generated: { watermarked: boolean; prompt: Uint32Array; ids: Uint32Array }[] = [];
  const seconds = { on: 0, off: 0, detect: 0 };
  const total = 2 * o.prompts.length;
  for (const prompt of o.prompts) {
    for (const watermarked of [true, false]) {
      const start = performance.now();
      const ids: number[] = [];
      const options = { ...o.sampling, rng, maxTokens: o.tokensPerSample, watermark: watermarked ? o.watermark : null };
      for await (const id of generateTokens(o.model, prompt, options)) ids.push(id);
      seconds[watermarked ? 'on' : 'off'] += (performance.now() - start) / 1000;
      generated.push({ watermarked, prompt, ids: Uint32Array.from(ids) });
      o.onProgress?.(generated.length, total);
    }
  }
  const samples = generated.map((g) => {
    const start = performance.now();
    const detection = o.watermark.detect(g.ids, { prompt: g.prompt, alpha: o.alpha, details: true });
    seconds.detect += (performance.now() - start) / 1000;
    return {
      watermarked: g.watermarked,
      prompt: o.tokenizer.decode(g.prompt),
      promptIds: g.prompt,
      completion: o.tokenizer.decode(g.ids),
      completionIds: g.ids,
      detection,
    };
  });
  return { samples, summary: summarize(samples, o, seconds) };
}

function summarize(samples: DemoSample[], o: DemoExperimentOptions, seconds: { on: number; off: number; detect: number }): DemoSummary {
  const marked = samples.filter((s) => s.watermarked);
  const plain = samples.filter((s) => !s.watermarked);
  const rate = (group: DemoSample[]) => group.filter((s) => s.detection.watermarked).length / Math.max(1, group.length);
  const tokens = (group: DemoSample[]) => group.reduce((n, s) => n + s.completionIds.length, 0);
  return {
    tpr: rate(marked),
    fpr: rate(plain),
    alpha: o.alpha,
    samples: { watermarked: marked.length, unwatermarked: plain.length },
    tokensPerSample: o.tokensPerSample,
    medianLog10P: { watermarked: medianLog10P(marked), unwatermarked: medianLog10P(plain) },
    tokensPerSecond: {
      generationWatermarked: Math.round(tokens(marked) / seconds.on),
      generationPlain: Math.round(tokens(plain) / seconds.off),
      detection: Math.round(tokens(samples) / seconds.detect),
    },
  };
}

function medianLog10P(group: DemoSample[]): number {
  const xs = group.map((s) => s.detection.log10PValue).sort((a, b) => a - b);
  if (xs.length === 0) return 0;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}
