import { checkAlpha, DEFAULT_ALPHA } from '../stats/validate.js';
import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { tokenUniform } from '../prf/token-mixer.js';
import { seededRandom } from '../base/rng.js';
import { binomialZ, log10BinomialTail } from '../stats/index.js';
import { hashWords64 } from '../base/tuple-hash.js';
import { addLogMgf, LAMBDA_GRID, mixtureLog10PValue } from '../stats/chernoff-mixture.js';
import { checkTestKeys } from './check-keys.js';
import { groupKeys, type KeyCounter, type KeyGroup } from './key-groups.js';
import { normalUpperTail } from '../stats/normal-tail.js';
import { randomizedBinomialPValue } from '../stats/randomized-p-value.js';
import { buildReport, type KeyTestResult, type RadioactivityReport } from './report.js';
import type { TopKPredictor } from './top-k.js';
import { ExcessMass } from './excess-mass.js';
import type { ReferenceModel } from './reference-model.js';

/** Options of {@link ReadingModeTest}. */
export interface ReadingModeOptions {
  /** Wrong keys (same parameters) scored beside the tested ones. */
  controls?: readonly WatermarkKey[];
  /** Probabilities kept per position for the green-mass score. Default 32. */
  topK?: number;
  /** Significance level of the verdict. Default 1e-6. */
  alpha?: number;
  /** Seed of the uniforms of the controls' randomized p-values. Default 1. */
  randomSeed?: number;
  /**
   * A clean reference model (never trained on text watermarked with the tested keys, e.g. the
   * provider's unwatermarked base model). When given, the soft statistic is the *excess*
   * green mass sum of max(0, q(v) - r(v)) over the suspect's green top-k tokens (see
   * {@link ExcessMass}): same proven bound, much more power in unsupervised reading.
   */
  reference?: ReferenceModel;
}

/** Both statistics of the open-model test; the verdict is the green-mass one. */
export interface ReadingModeReport {
  /** Green probability mass of the top-k predictions, Chernoff-mixture p-value bound (the verdict). */
  greenMass: RadioactivityReport;
  /** Is the top-1 prediction green? Exact binomial p-value (reported for comparison). */
  argmax: RadioactivityReport;
}

/**
 * Top-k next-token predictions at several positions of one text: row p holds `counts[p]`
 * tokens (most likely first) at `tokens[p * k ..]` and their probabilities at `probs[p * k ..]`.
 *
 * @example
 * ```ts
 * const rows: TopKRows = { k: 2, counts: Uint32Array.of(2), tokens: Uint32Array.of(7, 3), probs: Float64Array.of(0.6, 0.3) };
 * ```
 */
export interface TopKRows {
  readonly k: number;
  readonly counts: Uint32Array;
  readonly tokens: Uint32Array;
  readonly probs: Float64Array;
}

/**
 * Predicts the top-k next tokens at `positions` of `ids`; row p may use `ids[0..positions[p])` only.
 *
 * @example
 * ```ts
 * const predict: BatchPredictor = async (ids, positions, k) => suspectRows(ids, positions, k);
 * ```
 */
export type BatchPredictor = (ids: Uint32Array, positions: Uint32Array, k: number) => Promise<TopKRows>;

interface TextPlan {
  ids: Uint32Array;
  positions: Uint32Array;
  /** fresh[p * groups + g]: position p is a first occurrence for key group g. */
  fresh: boolean[];
}

interface SoftState {
  psi: Float64Array;
  sumQ: number;
  sumQ2: number;
  positions: number;
}

interface ReadingCounter {
  counter: KeyCounter;
  soft: number;
  argmaxGreen: number;
}

/**
 * The open-model ("reading mode") radioactivity test: watermarked texts are fed through the
 * suspect; at each position whose seed input (window) occurs for the first time over all
 * texts read (one global tape), the suspect's top-k next-token distribution q is scored
 * against the green list of that window: G = sum of q(v) over green v (soft), and whether
 * the top-1 prediction is green (argmax). The text's own next token plays no role (leaving
 * it out would bias the score towards red).
 *
 * Why the first occurrence of the window: a window seen before was followed by a
 * green-biased token, so a suspect that copies its context would look radioactive at later
 * occurrences; at a first occurrence the window's colours are fresh, independent of
 * everything the suspect has read.
 *
 * @example
 * ```ts
 * const test = new ReadingModeTest(kneserNeyTopK(suspect), [key], { controls: wrongKeys });
 * for (const ids of watermarkedTexts) test.readText(ids);
 * const { greenMass, argmax } = test.result();
 * ```
 */
export class ReadingModeTest {
  /** Tokens read. */
  tokens = 0;
  /** Positions skipped because their window was seen before (first tested key's group). */
  repeats = 0;
  /** Positions at a first occurrence that the batched predictor could not predict (not scored). */
  unpredicted = 0;
  private readonly counters: ReadingCounter[];
  private readonly groups: KeyGroup[];
  private readonly groupOf: ReadingCounter[][];
  private readonly soft: SoftState[];
  private readonly k: number;
  private readonly alpha: number;
  private readonly randomSeed: number;
  private readonly gamma: number;
  private readonly words = new Uint32Array(16);
  private readonly hash = new Uint32Array(2);
  private readonly seed = new Uint32Array(2);
  private readonly fresh: boolean[];
  private readonly topTokens: Uint32Array;
  private readonly topProbs: Float64Array;
  /** Soft-score coefficient of each kept token: its probability, or its excess over the reference. */
  private readonly coefs: Float64Array;
  private readonly excess: ExcessMass | null;

  constructor(
    private readonly predictor: TopKPredictor | undefined,
    keys: readonly WatermarkKey[],
    options: ReadingModeOptions = {},
  ) {
    const controls = options.controls ?? [];
    checkTestKeys(keys, controls);
    for (const key of [...keys, ...controls]) checkReadingKey(key, keys[0]!);
    const { counters, groups } = groupKeys(keys, controls);
    this.groups = groups;
    this.counters = counters.map((counter) => ({ counter, soft: 0, argmaxGreen: 0 }));
    this.groupOf = groups.map((g) => this.counters.filter((c) => g.members.includes(c.counter)));
    this.soft = groups.map(() => ({ psi: new Float64Array(LAMBDA_GRID.length), sumQ: 0, sumQ2: 0, positions: 0 }));
    this.fresh = groups.map(() => false);
    this.k = options.topK ?? 32;
    if (!Number.isInteger(this.k) || this.k < 1 || this.k > 4096) {
      throw new RadiomarkError('INVALID_ARGUMENT', `topK must be an integer in 1..4096 (got ${String(options.topK)})`);
    }
    this.topTokens = new Uint32Array(this.k);
    this.topProbs = new Float64Array(this.k);
    this.excess = options.reference ? new ExcessMass(checkReference(options.reference, predictor), this.k) : null;
    this.coefs = this.excess ? new Float64Array(this.k) : this.topProbs;
    this.alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
    this.randomSeed = options.randomSeed ?? 1;
    this.gamma = counters[0]!.greenList.gamma;
  }

  /**
   * Reads one watermarked text (token ids); its positions from max(h, `from`) on are
   * candidates. Pass the prompt length as `from` when `input` is prompt + completion: the
   * prompt was not watermarked, so its positions are context only.
   */
  readText(input: ArrayLike<number>, from = 0): void {
    const predictor = this.predictor;
    if (!predictor) throw new RadiomarkError('INVALID_ARGUMENT', 'this test has no TopKPredictor: use readTextBatched');
    const plan = this.planText(input, from);
    const { ids, positions } = plan;
    for (let p = 0; p < positions.length; p++) {
      const i = positions[p]!;
      const n = predictor.topK(ids.subarray(0, i), this.k, this.topTokens, this.topProbs);
      this.scorePosition(plan, p, n);
    }
  }

  /**
   * Like {@link readText}, with the predictions of all positions of the text computed at
   * once (e.g. one batched forward pass of a neural suspect): `predict` gets the text and
   * the positions to predict, and must return, for each, the top-k next-token distribution
   * given `ids[0..position)` only. A row with no tokens leaves its position unscored (its
   * window still counts as seen; see `unpredicted`). For a suspect that only ever sees the text before each
   * position, the result equals `readText` with the same predictions.
   */
  async readTextBatched(input: ArrayLike<number>, from: number, predict: BatchPredictor): Promise<void> {
    const plan = this.planText(input, from);
    if (plan.positions.length === 0) return;
    const rows = await predict(plan.ids, plan.positions, this.k);
    for (let p = 0; p < plan.positions.length; p++) {
      const n = Math.min(this.k, rows.counts[p]!);
      // No prediction (e.g. no text boundary there): the window is used up, not scored.
      if (n === 0) {
        this.unpredicted++;
        continue;
      }
      for (let j = 0; j < n; j++) {
        this.topTokens[j] = rows.tokens[p * rows.k + j]!;
        this.topProbs[j] = rows.probs[p * rows.k + j]!;
      }
      this.scorePosition(plan, p, n);
    }
  }

  /** Top-k predictions per position kept by the test (its `topK` option). */
  get topK(): number {
    return this.k;
  }

  // Marks the windows of one text as seen (in reading order) and lists the positions that
  // are a first occurrence for at least one key group, with the groups they are fresh for.
  private planText(input: ArrayLike<number>, from: number): TextPlan {
    const ids = input instanceof Uint32Array ? input : Uint32Array.from(input);
    this.tokens += ids.length - Math.min(from, ids.length);
    const h = this.groups[0]!.seeder.window;
    const positions: number[] = [];
    const fresh: boolean[] = [];
    for (let i = Math.max(h, from); i < ids.length; i++) {
      let any = false;
      for (let g = 0; g < this.groups.length; g++) {
        const group = this.groups[g]!;
        const count = group.seeder.seedInput(ids, i, this.words);
        hashWords64(this.words, count, this.hash);
        this.fresh[g] = group.seen.add(this.hash[0]!, this.hash[1]!);
        if (this.fresh[g]) any = true;
        else if (g === 0) this.repeats++;
      }
      if (!any) continue;
      positions.push(i);
      fresh.push(...this.fresh);
    }
    return { ids, positions: Uint32Array.from(positions), fresh };
  }

  private scorePosition(plan: TextPlan, p: number, n: number): void {
    const i = plan.positions[p]!;
    this.excess?.coefficients(plan.ids.subarray(0, i), this.topTokens, this.topProbs, n, this.coefs);
    const G = this.groups.length;
    for (let g = 0; g < G; g++) if (plan.fresh[p * G + g]) this.scoreGroup(g, plan.ids, i, n);
  }

  /** Both reports; `greenMass` carries the verdict. */
  result(): ReadingModeReport {
    return { greenMass: this.report('green-mass'), argmax: this.report('argmax') };
  }

  private scoreGroup(g: number, ids: Uint32Array, i: number, n: number): void {
    const soft = this.soft[g]!;
    const probs = this.coefs;
    addLogMgf(soft.psi, probs, n, this.gamma);
    for (let j = 0; j < n; j++) {
      soft.sumQ += probs[j]!;
      soft.sumQ2 += probs[j]! * probs[j]!;
    }
    soft.positions++;
    for (const member of this.groupOf[g]!) {
      const { seeder, threshold } = member.counter.greenList;
      const count = seeder.seedInput(ids, i, this.words);
      seeder.seedOf(this.words, count, this.seed);
      const lo = this.seed[0]!;
      const hi = this.seed[1]!;
      let mass = 0;
      for (let j = 0; j < n; j++) if (tokenUniform(lo, hi, this.topTokens[j]!) < threshold) mass += probs[j]!;
      member.soft += mass;
      member.counter.scored++;
      if (n > 0 && tokenUniform(lo, hi, this.topTokens[0]!) < threshold) member.argmaxGreen++;
    }
  }

  private report(statistic: 'green-mass' | 'argmax'): RadioactivityReport {
    const results = this.counters.map((c) => this.keyResult(c, statistic));
    const tested = results.filter((_, i) => this.counters[i]?.counter.tested);
    const controls = this.counters.flatMap((c, i) => (c.counter.tested ? [] : [{ c, r: results[i] as KeyTestResult }]));
    const random = seededRandom(this.randomSeed);
    const uniforms =
      statistic === 'argmax'
        ? controls.map(({ c }) => randomizedBinomialPValue(c.argmaxGreen, c.counter.scored, this.gamma, random()))
        : controls.map(({ r }) => normalUpperTail(r.z));
    return buildReport({
      mode: 'open',
      statistic,
      tokens: this.tokens,
      gamma: this.gamma,
      alpha: this.alpha,
      tested,
      controls: {
        log10PValues: controls.map(({ r }) => r.log10PValue),
        uniforms,
        ksOf: statistic === 'argmax' ? 'randomized-binomial' : 'normal-approximation',
      },
      notes: this.notes(statistic),
    });
  }

  private keyResult(c: ReadingCounter, statistic: 'green-mass' | 'argmax'): KeyTestResult {
    const scored = c.counter.scored;
    const g = this.groups.findIndex((group) => group.members.includes(c.counter));
    if (statistic === 'argmax') {
      const p = scored === 0 ? 0 : log10BinomialTail(c.argmaxGreen, scored, this.gamma);
      const z = scored === 0 ? 0 : binomialZ(c.argmaxGreen, scored, this.gamma);
      return {
        keyId: c.counter.key.id,
        scored,
        green: c.argmaxGreen,
        expected: this.gamma * scored,
        log10PValue: p,
        adjustedLog10PValue: p,
        z,
      };
    }
    const soft = this.soft[g]!;
    const expected = this.gamma * soft.sumQ;
    const sd = Math.sqrt(this.gamma * (1 - this.gamma) * soft.sumQ2);
    const p = scored === 0 ? 0 : mixtureLog10PValue(c.soft, soft.psi);
    return {
      keyId: c.counter.key.id,
      scored,
      green: c.soft,
      expected,
      log10PValue: p,
      adjustedLog10PValue: p,
      z: sd > 0 ? (c.soft - expected) / sd : 0,
    };
  }

  private notes(statistic: 'green-mass' | 'argmax'): string[] {
    const common = [
      'each window (seed input) is scored at its first occurrence over all texts read (one global tape)',
      "the text's own next token is not used: the suspect's whole top-k distribution is scored",
    ];
    if (statistic === 'argmax')
      return [...common, 'exact binomial p-value of the top-1 prediction being green (reported; the verdict uses green-mass)'];
    const scored = this.excess
      ? `excess over the reference model, max(0, q - r), of the top-${this.k} probabilities`
      : `top-${this.k} probabilities`;
    return [
      ...common,
      `green-mass p-value: a proven upper bound (Chernoff mixture over ${LAMBDA_GRID.length} fixed tilts, valid under the adaptive reading of watermarked text), ${scored}`,
    ];
  }
}

function checkReference(reference: ReferenceModel, predictor: TopKPredictor | undefined): ReferenceModel {
  if (predictor && reference.vocabSize !== predictor.vocabSize) {
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `the reference model has ${reference.vocabSize} tokens, the suspect ${predictor.vocabSize}: they must share the tokenizer`,
    );
  }
  return reference;
}

function checkReadingKey(key: WatermarkKey, first: WatermarkKey): void {
  if (key.params.seeding === 'selfhash') {
    throw new RadiomarkError(
      'UNSUPPORTED',
      'reading mode needs lefthash or minhash seeding: with selfhash a green list depends on the candidate token, so windows share colours',
    );
  }
  if (key.params.gamma !== first.params.gamma) {
    throw new RadiomarkError('INVALID_ARGUMENT', `key ${key.id} has another gamma than key ${first.id}`);
  }
}
