import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { tokenUniform } from '../prf/token-mixer.js';
import { seededRandom } from '../base/rng.js';
import { hashWords64 } from '../base/tuple-hash.js';
import { checkTestKeys } from './check-keys.js';
import { groupKeys, type KeyCounter, type KeyGroup } from './key-groups.js';
import { randomizedBinomialPValue } from '../stats/randomized-p-value.js';
import { adjustFamily, RADIOACTIVITY_NULL_HYPOTHESIS, summarizeControls, type KeyTestResult, type RadioactivityReport } from './report.js';
import type { WindowFilter } from '../windows/window-filter.js';
import { concatIds } from '../base/token-ids.js';
import { AccountLayer } from '../accounts/account-signer.js';
import { AccountTally } from '../accounts/account-tally.js';
import {
  attributeFromOwners,
  attributeFromTally,
  type AttributeOptions,
  type AttributionMethod,
  type AttributionReport,
} from '../accounts/attribute-accounts.js';
import { OwnerCounts } from '../accounts/owner-counts.js';
import type { AccountLedger } from '../ledger/account-ledger.js';
import { decodeAccountFromTally, type AccountDecoding, type DecodeAccountOptions } from '../accounts/decode-account.js';

/** Options of {@link ClosedModeTest}. */
export interface ClosedModeOptions {
  /** Wrong keys (same parameters) scored beside the tested ones, as a visible null. */
  controls?: readonly WatermarkKey[];
  /** Only windows in this filter are scored. Must be fixed before any output is read. */
  filter?: WindowFilter;
  /** Significance level of the verdict. Default 1e-6. */
  alpha?: number;
  /** Seed of the uniforms of the controls' randomized p-values. Default 1. */
  randomSeed?: number;
  /**
   * How prompts were registered, for the report's statement of the rule: `all` (every prompt
   * before any completion) or `earlier` (each line's prompt before its completion).
   * Default `all`.
   */
  promptRule?: 'all' | 'earlier';
  /**
   * Also tally the first tested key's account layer, for per-account tests after reading
   * ({@link ClosedModeTest.attributeAccounts}). KGW keys with lefthash or minhash seeding.
   * Default false.
   */
  accounts?: boolean;
  /**
   * Which account received each emitted window (every account's outputs recorded): enables
   * the ledger method of {@link ClosedModeTest.attributeAccounts}. Implies `accounts`.
   * LeftHash keys only, with the ledger's window equal to the key's.
   */
  owners?: AccountLedger;
}

/**
 * The closed-model radioactivity test: the suspect's completions are pooled on one global
 * tape; each distinct (seed input, token) tuple is scored once; tuples whose window occurs
 * in a registered prompt are never scored; with a filter, only windows in the filter are
 * scored. Several tested keys share the tape and are corrected with Holm; wrong keys run
 * beside them as controls.
 *
 * Prompt rule: a window is excluded if it occurs in any prompt registered *before* the
 * completion is read. Register all prompts first (two passes over the input) for the rule
 * "never scored if it occurs in any prompt"; registering each line's prompt before its
 * completion gives "own or earlier prompt", which is valid for a stateless suspect.
 *
 * @example
 * ```ts
 * const test = new ClosedModeTest([key], { controls: wrongKeys, filter });
 * for (const { prompt } of lines) test.excludePrompt(prompt);
 * for (const { prompt, completion } of lines) test.readCompletion(completion, prompt);
 * const report = test.result();
 * ```
 */
export class ClosedModeTest {
  /** Completion tokens read. */
  tokens = 0;
  /** Positions skipped because their window is in a prompt (first tested key's group). */
  promptExcluded = 0;
  /** Positions skipped because their window is not in the filter. */
  filteredOut = 0;
  /** Positions whose tuple was already scored (first tested key's group). */
  repeats = 0;
  private readonly counters: KeyCounter[];
  private readonly groups: KeyGroup[];
  private readonly filter: WindowFilter | undefined;
  private readonly alpha: number;
  private readonly randomSeed: number;
  private readonly promptRule: 'all' | 'earlier';
  private readonly words = new Uint32Array(17);
  private readonly hash = new Uint32Array(2);
  readonly #seed = new Uint32Array(2);
  private readonly accountLayer: AccountLayer | undefined;
  private readonly tally: AccountTally | undefined;
  private readonly owners: AccountLedger | undefined;
  private readonly ownerCounts: OwnerCounts | undefined;

  constructor(keys: readonly WatermarkKey[], options: ClosedModeOptions = {}) {
    const controls = options.controls ?? [];
    checkTestKeys(keys, controls, ['kgw', 'gumbel', 'synthid']);
    if (options.filter && options.filter.window !== keys[0]!.params.window) {
      throw new RadiomarkError(
        'INVALID_ARGUMENT',
        `the filter was built for window h=${options.filter.window} but the key has h=${keys[0]!.params.window}`,
      );
    }
    if (options.filter && keys[0]!.params.seeding !== 'lefthash') {
      // With MinHash/SelfHash a one-token seed input is shared by many windows, so whether a
      // window made it into the provider's outputs (the filter) can depend on the colours of
      // the very tuples scored later: the exact null would not hold. LeftHash has no such link.
      throw new RadiomarkError('UNSUPPORTED', `a filter requires lefthash keys (key ${keys[0]!.id} uses ${keys[0]!.params.seeding})`);
    }
    ({ counters: this.counters, groups: this.groups } = groupKeys(keys, controls));
    this.filter = options.filter;
    this.alpha = options.alpha ?? 1e-6;
    this.randomSeed = options.randomSeed ?? 1;
    this.promptRule = options.promptRule ?? 'all';
    if (options.accounts || options.owners) {
      this.accountLayer = new AccountLayer(keys[0]!, this.groups[0]!.seeder);
      this.tally = new AccountTally(this.accountLayer.marks);
    }
    if (options.owners) {
      checkOwners(options.owners, keys[0]!);
      this.owners = options.owners;
      this.ownerCounts = new OwnerCounts(this.accountLayer!.code);
    }
  }

  /** Registers the windows of a prompt: they are never scored in completions read afterwards. */
  excludePrompt(prompt: ArrayLike<number>): void {
    for (const group of this.groups) {
      for (let end = group.seeder.window; end <= prompt.length; end++) {
        this.windowHash(group, prompt, end);
        group.promptWindows.add(this.hash[0]!, this.hash[1]!);
      }
    }
  }

  /**
   * Scores the tokens of one completion; `context` (its prompt) gives the windows of the
   * first tokens and is not scored. Does not register the prompt: call
   * {@link excludePrompt} first.
   */
  readCompletion(completion: ArrayLike<number>, context: ArrayLike<number> = []): void {
    const all = concatIds(context, completion);
    const start = context.length;
    this.tokens += completion.length;
    const h = this.groups[0]!.seeder.window;
    for (let i = Math.max(start, h); i < all.length; i++) {
      if (this.filter && !this.filter.hasWindow(all, i)) {
        this.filteredOut++;
        continue;
      }
      for (let g = 0; g < this.groups.length; g++) this.scorePosition(this.groups[g]!, all, i, g === 0);
    }
  }

  /** The report: tested keys with Holm-adjusted p-values, and the controls. */
  result(): RadioactivityReport {
    const tested = this.counters.filter((c) => c.tested).map((c) => keyResult(c));
    const best = adjustFamily(tested);
    const controls = this.counters.filter((c) => !c.tested);
    const random = seededRandom(this.randomSeed);
    const first = this.counters[0]!;
    const notes = [
      'each distinct (seed input, token) tuple is scored once over all completions (one global tape)',
      this.promptRule === 'all'
        ? 'windows occurring in any prompt are never scored'
        : "windows occurring in the line's own prompt or any earlier prompt are never scored",
    ];
    if (this.filter) notes.push('only windows in the filter (fixed before reading) are scored');
    return {
      mode: 'closed',
      statistic: STATISTIC[first.key.params.scheme],
      nullHypothesis: RADIOACTIVITY_NULL_HYPOTHESIS,
      tokens: this.tokens,
      scored: first.scored,
      green: first.score,
      gamma: first.greenList.scoring.gamma,
      log10PValue: best,
      alpha: this.alpha,
      radioactive: best <= Math.log10(this.alpha),
      keys: tested,
      controls: summarizeControls(
        controls.map((c) => keyResult(c).log10PValue),
        controls.map((c) => uniformPValue(c, random())),
        this.alpha,
        first.key.params.scheme === 'gumbel' ? 'continuous' : 'randomized-binomial',
      ),
      notes,
    };
  }

  /**
   * Per-account radioactivity for the first tested key, Holm-corrected over the candidates.
   * Method `ledger` (the default with the `owners` option): each account is tested on the
   * suspect tuples at windows only it received. Method `tally` (the default otherwise): the
   * account's codeword score against the exact distribution of a random codeword's. The
   * cost per token read did not depend on the number of candidates; each candidate costs one
   * codeword. Requires the `accounts` or `owners` option.
   */
  attributeAccounts(candidates: ArrayLike<number>, options: AttributeOptions & { method?: AttributionMethod } = {}): AttributionReport {
    const method = options.method ?? (this.ownerCounts ? 'ledger' : 'tally');
    const opts = { ...options, alpha: options.alpha ?? this.alpha };
    if (method === 'tally') return attributeFromTally(this.accountTally(), this.accountLayer!.code, candidates, opts);
    if (!this.ownerCounts) throw new RadiomarkError('INVALID_ARGUMENT', 'the ledger method needs the owners option of ClosedModeTest');
    return attributeFromOwners(this.ownerCounts, this.counters[0]!.greenList.gamma, candidates, opts);
  }

  /** Decodes the account id that dominates the suspect's outputs (list decoding, corrected for 2^32 ids). */
  decodeAccount(options: DecodeAccountOptions = {}): AccountDecoding {
    return decodeAccountFromTally(this.accountTally(), this.accountLayer!.code, { ...options, alpha: options.alpha ?? this.alpha });
  }

  /** The account tally (requires the `accounts` option). */
  accountTally(): AccountTally {
    if (!this.tally) throw new RadiomarkError('INVALID_ARGUMENT', 'per-account tests need the accounts option of ClosedModeTest');
    return this.tally;
  }

  private scorePosition(group: KeyGroup, all: ArrayLike<number>, i: number, counted: boolean): void {
    const token = all[i]!;
    const words = this.words;
    const count = group.seeder.seedInput(all, i, words, token);
    if (group.promptWindows.size > 0) {
      // The window's seed input equals the tuple's except with SelfHash (which may pick the token).
      if (group.seeder.selfSeeded) this.windowHash(group, all, i);
      else hashWords64(words, count, this.hash);
      if (group.promptWindows.has(this.hash[0]!, this.hash[1]!)) {
        if (counted) this.promptExcluded++;
        return;
      }
      if (group.seeder.selfSeeded) group.seeder.seedInput(all, i, words, token);
    }
    words[count] = token;
    hashWords64(words, count + 1, this.hash);
    if (!group.seen.add(this.hash[0]!, this.hash[1]!)) {
      if (counted) this.repeats++;
      return;
    }
    if (counted) this.tally?.addTuple(words, count, token);
    let firstGreen = false;
    for (const member of group.members) {
      const { seeder, scoring } = member.greenList;
      // Groups with several members are LeftHash: their seed input (the raw window) is shared.
      seeder.seedOf(words, count, this.#seed);
      const u = tokenUniform(this.#seed[0]!, this.#seed[1]!, token);
      member.scored++;
      member.score += scoring.score(u);
      const favourable = scoring.favourable(u);
      if (favourable) member.green++;
      if (member === this.counters[0]) firstGreen = favourable;
    }
    if (counted && this.ownerCounts) this.creditOwner(all, i, firstGreen);
  }

  // Ledger method: the tuple counts for the one account that received its window, if any.
  private creditOwner(all: ArrayLike<number>, i: number, green: boolean): void {
    const owner = this.owners!.ownerOf(all, i);
    if (owner !== undefined) this.ownerCounts!.add(owner, green, this.tally!.lastPosition, this.tally!.lastMask);
  }

  // The seed input of the window without the candidate token, hashed (as ScoreTape does).
  private windowHash(group: KeyGroup, tokens: ArrayLike<number>, end: number): void {
    const count = group.seeder.seedInput(tokens, end, this.words);
    hashWords64(this.words, count, this.hash);
  }
}

function checkOwners(owners: AccountLedger, key: WatermarkKey): void {
  if (key.params.seeding !== 'lefthash') {
    // Ownership is recorded on raw windows; other seedings share one seed input between many windows.
    throw new RadiomarkError('UNSUPPORTED', `an account ledger requires a lefthash key (key ${key.id} uses ${key.params.seeding})`);
  }
  if (owners.window !== key.params.window) {
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `the account ledger was built for window h=${owners.window} but the key has h=${key.params.window}`,
    );
  }
  if (owners.tokenizer !== key.params.tokenizer) {
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `the account ledger records ${owners.tokenizer} tokens but the key uses ${key.params.tokenizer}`,
    );
  }
}

const STATISTIC = { kgw: 'binomial', gumbel: 'gamma', synthid: 'g-values' } as const;

function keyResult(c: KeyCounter): KeyTestResult {
  const { scoring } = c.greenList;
  const { scheme, layers } = c.key.params;
  const log10PValue = scoring.log10PValue(c.score, c.scored);
  const perTuple = scheme === 'kgw' ? scoring.gamma : scheme === 'gumbel' ? 1 : layers / 2;
  return {
    keyId: c.key.id,
    scored: c.scored,
    green: c.score,
    expected: perTuple * c.scored,
    log10PValue,
    adjustedLog10PValue: log10PValue,
    z: scoring.z(c.score, c.scored),
  };
}

// A p-value that is exactly uniform under H0, for the controls' KS test: the randomized
// binomial p-value for the discrete statistics, the p-value itself for the continuous one.
function uniformPValue(c: KeyCounter, u: number): number {
  const { scheme, layers } = c.key.params;
  if (scheme === 'gumbel') return 10 ** c.greenList.scoring.log10PValue(c.score, c.scored);
  if (scheme === 'synthid') return randomizedBinomialPValue(c.score, c.scored * layers, 0.5, u);
  return randomizedBinomialPValue(c.score, c.scored, c.greenList.gamma, u);
}
