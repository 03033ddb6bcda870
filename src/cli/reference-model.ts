import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import { loadOrTrainReferenceModel } from '../node/model-cache.js';
import { integerOption } from './args.js';
import { status } from './progress.js';

/** Flags selecting the embedded reference model. */
export const MODEL_FLAGS = {
  order: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

/** Help lines for {@link MODEL_FLAGS}. */
export const MODEL_HELP = `  --order N          n-gram order of the reference model, 1..5 (default 4)
  --cache-dir DIR    model cache directory (default $XDG_CACHE_HOME/radiomark or ~/.cache/radiomark)`;

/** Loads the reference model from its cache, or trains it (a few seconds), reporting on stderr. */
export async function referenceModel(values: Record<string, unknown>): Promise<{ model: KneserNeyModel; seconds: number }> {
  const start = performance.now();
  const model = await loadOrTrainReferenceModel({
    order: integerOption('order', values.order as string | undefined, 1, 5),
    cacheDir: values['cache-dir'] as string | undefined,
    // A cache hit is quiet off a terminal; training (seconds) and cache failures always show.
    onProgress: (e) => status(e.message, { phase: e.stage !== 'cache-hit' }),
  });
  return { model, seconds: (performance.now() - start) / 1000 };
}
