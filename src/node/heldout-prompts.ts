import { seededRandom } from '../base/rng.js';
import { getTokenizer } from '../key/tokenizer.js';
import { heldOutDocuments, type CorpusOptions } from './corpora.js';

/** Options of {@link heldOutPrompts}. */
export interface HeldOutPromptOptions extends CorpusOptions {
  /** Number of prompts. */
  count: number;
  /** Tokens per prompt (default 32). */
  promptTokens?: number;
  /** Seed of the passage choice (default 1). */
  seed?: number;
  /** Tiktoken encoding (default `o200k_base`). */
  tokenizer?: string;
}

/**
 * Prompts cut from held-out documents (never seen by the reference model in training):
 * documents are visited round-robin and a passage start is drawn with a seeded generator,
 * so the same options always give the same prompts.
 *
 * @example
 * ```ts
 * const prompts = heldOutPrompts({ count: 50, promptTokens: 32, seed: 1 });
 * ```
 */
export function heldOutPrompts(options: HeldOutPromptOptions): Uint32Array[] {
  const { count, promptTokens = 32, seed = 1 } = options;
  const tokenizer = getTokenizer(options.tokenizer ?? 'o200k_base');
  const docs = heldOutDocuments(options)
    .map((d) => tokenizer.encode(d.text))
    .filter((ids) => ids.length > promptTokens * 2);
  const rng = seededRandom(seed);
  const prompts: Uint32Array[] = [];
  for (let i = 0; i < count; i++) {
    const ids = docs[i % docs.length]!;
    const start = Math.floor(rng() * (ids.length - promptTokens));
    prompts.push(ids.slice(start, start + promptTokens));
  }
  return prompts;
}
