import type { Tokenizer } from '../key/tokenizer.js';
import type { BatchPredictor, TopKRows } from '../radioactivity/reading-mode.js';
import { suspectView } from './provider-view.js';
import { allocateRows, type SuspectModel } from './suspect-model.js';

/** Counts kept by {@link alignedPredictor} over everything it read. */
export interface AlignmentStats {
  /** Identity alignment: the suspect uses the provider's tokenizer. */
  identity: boolean;
  /** Provider positions asked for. */
  positions: number;
  /** Of those, positions inside a UTF-8 character (no text boundary): not predicted, not scored. */
  insideCharacter: number;
  /** Positions whose top-k suspect candidates all had no text of their own: not scored. */
  noCandidate: number;
  /** Suspect tokens read (the suspect's view of the texts). */
  suspectTokens: number;
}

/**
 * Predictions of the next *provider* token from a suspect with any tokenizer, for
 * {@link ReadingModeTest.readTextBatched}.
 *
 * - Same tokenizer as the provider (same name and size): identity, the suspect's rows as they are.
 * - Otherwise the suspect reads {@link suspectView} (the text before each provider position,
 *   re-tokenized piece by piece), one batched prediction per text. At provider position i
 *   its top-k suspect tokens are the candidates; each candidate s stands for the provider
 *   token that begins its text: the first token of `provider.encode(text(s))`. The
 *   probability of a provider token is the sum over the candidates that map to it (the
 *   suspect-token sequences of length one that spell it or begin with it).
 *   Row order: first the provider token of the suspect's greedy (most likely) candidate,
 *   so that the argmax statistic is "the first provider token of the suspect's greedy
 *   continuation, re-tokenized", then the others by decreasing probability.
 * - Positions with no common boundary: a provider position inside a UTF-8 character has no
 *   text boundary; candidates whose text is not complete characters (byte tokens, special
 *   tokens) have no provider token. Such positions and candidates are left out. Each
 *   decision depends on the text before i (and on the model) only.
 *
 * Every row is a function of the provider tokens before its position: the suspect tokens
 * it reads are (see `suspectView`), the model is causal, and the mapping depends on the
 * candidate alone.
 *
 * @example
 * ```ts
 * const predict = alignedPredictor(suspect, getTokenizer('o200k_base'));
 * await test.readTextBatched(ids, 0, predict);
 * ```
 */
export function alignedPredictor(suspect: SuspectModel, provider: Tokenizer, stats?: AlignmentStats): BatchPredictor {
  const counts = stats ?? { identity: false, positions: 0, insideCharacter: 0, noCandidate: 0, suspectTokens: 0 };
  counts.identity = suspect.tokenizer.name === provider.name && suspect.tokenizer.vocabSize === provider.vocabSize;
  if (counts.identity) {
    return (ids, positions, k) => {
      counts.positions += positions.length;
      counts.suspectTokens += ids.length;
      return suspect.predict(ids, positions, k);
    };
  }
  const firstProvider = new Int32Array(suspect.vocabSize).fill(-2);
  const providerOf = (s: number): number => {
    if (s >= firstProvider.length) return -1;
    if (firstProvider[s] === -2) {
      const text = suspect.tokenizer.tokenText(s);
      const ids = text === undefined ? undefined : provider.encode(text);
      firstProvider[s] = ids && ids.length > 0 ? ids[0]! : -1;
    }
    return firstProvider[s]!;
  };
  const pieces = new Map<number, Uint32Array>();
  return async (ids, positions, k) => {
    const view = suspectView(ids, provider, suspect.tokenizer, pieces);
    counts.positions += positions.length;
    counts.suspectTokens += view.ids.length;
    const asked: number[] = [];
    const from = new Int32Array(positions.length).fill(-1);
    for (let p = 0; p < positions.length; p++) {
      const e = view.before[positions[p]!]!;
      if (e < 1) {
        counts.insideCharacter += e < 0 ? 1 : 0;
        continue;
      }
      from[p] = asked.length;
      asked.push(e);
    }
    const rows = await suspect.predict(view.ids, Uint32Array.from(asked), k);
    const out = allocateRows(positions.length, k);
    for (let p = 0; p < positions.length; p++) {
      if (from[p]! < 0) continue;
      out.counts[p] = mapRow(rows, from[p]!, out, p, providerOf);
      if (out.counts[p] === 0) counts.noCandidate++;
    }
    return out;
  };
}

// Merges one row of suspect candidates into provider tokens: greedy first, then by mass.
function mapRow(rows: TopKRows, r: number, out: TopKRows, p: number, providerOf: (s: number) => number): number {
  const tokens: number[] = [];
  const mass: number[] = [];
  for (let j = 0; j < rows.counts[r]!; j++) {
    const v = providerOf(rows.tokens[r * rows.k + j]!);
    if (v < 0) continue;
    const at = tokens.indexOf(v);
    if (at >= 0) mass[at]! += rows.probs[r * rows.k + j]!;
    else {
      tokens.push(v);
      mass.push(rows.probs[r * rows.k + j]!);
    }
  }
  const order = tokens.map((_, i) => i);
  order.sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : mass[b]! - mass[a]!));
  for (let i = 0; i < order.length; i++) {
    out.tokens[p * out.k + i] = tokens[order[i]!]!;
    out.probs[p * out.k + i] = mass[order[i]!]!;
  }
  return order.length;
}
