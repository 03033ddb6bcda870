import type { SampleOptions } from '../schemes/sampler.js';
import { integerOption, numberOption } from './args.js';

/** The sampling flags shared by `generate` and `demo`. */
export const SAMPLING_FLAGS = {
  seed: { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
} as const;

/** Help lines for {@link SAMPLING_FLAGS}. */
export const SAMPLING_HELP = `  --temperature T    softmax temperature, 0 = greedy (default 1)
  --top-k K          keep the K most likely tokens, K >= 1 (default: all)
  --top-p P          nucleus sampling mass in (0, 1] (default 1)
  --seed N           seed of the sampler, for reproducible output`;

/** Reads the sampling flags. */
export function samplingOptions(values: Record<string, unknown>, defaultSeed?: number): SampleOptions {
  return {
    temperature: numberOption('temperature', values.temperature as string | undefined, (x) => x >= 0 && x <= 1e6),
    topK: integerOption('top-k', values['top-k'] as string | undefined, 1, 1_000_000),
    topP: numberOption('top-p', values['top-p'] as string | undefined, (x) => x > 0 && x <= 1),
    rng: integerOption('seed', values.seed as string | undefined) ?? defaultSeed,
  };
}
