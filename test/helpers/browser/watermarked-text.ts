// Watermarked English-looking text without a model: words of Moby Dick drawn from a bigram
// table (half the time) or uniformly, each word a single o200k token " word", chosen with the
// watermark's exact rejection sampler. Decoding and re-encoding give back the same ids.
import { getTokenizer, type Watermark } from '../../../src/core.js';
import { seededRandom } from '../../../src/base/rng.js';
import { humanParagraphs } from '../human-text.js';

export interface GeneratedText {
  text: string;
  ids: number[];
}

/** `words` watermarked words (tokens) as text and ids; `wm` null gives the same model unmarked. */
export function generateText(wm: Watermark | null, words: number, seed: number): GeneratedText {
  const tokenizer = getTokenizer('o200k_base');
  const corpus = humanParagraphs(1500)
    .slice(0, 40)
    .join(' ')
    .split(/\s+/)
    .filter((w) => /^[a-z]+$/.test(w));
  const idOf = new Map<string, number>();
  for (const word of corpus) {
    if (idOf.has(word)) continue;
    const ids = tokenizer.encode(` ${word}`);
    if (ids.length === 1) idOf.set(word, ids[0]!);
  }
  const pool = [...idOf.values()];
  const followers = new Map<number, number[]>();
  for (let i = 1; i < corpus.length; i++) {
    const a = idOf.get(corpus[i - 1]!);
    const b = idOf.get(corpus[i]!);
    if (a === undefined || b === undefined) continue;
    if (!followers.has(a)) followers.set(a, []);
    followers.get(a)!.push(b);
  }
  const rng = seededRandom(seed);
  const ids = [pool[0]!, pool[1]!];
  const draw = () => {
    const next = followers.get(ids[ids.length - 1]!);
    if (next && rng() < 0.5) return next[Math.floor(rng() * next.length)]!;
    return pool[Math.floor(rng() * pool.length)]!;
  };
  while (ids.length < words) ids.push(wm ? wm.sampleByRejection(ids, draw, rng) : draw());
  return { text: tokenizer.decode(ids), ids };
}
