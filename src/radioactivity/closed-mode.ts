import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { tokenUniform } from '../prf/token-mixer.js';
import { seededRandom } from '../base/rng.js';
import { hashWords64 } from '../base/tuple-hash.js';
import { concatIds } from '../base/token-ids.js';
import type { WindowFilter } from '../windows/window-filter.js';
import { AccountObserver, type WindowOwners } from '../accounts/account-observer.js';
import type { AccountTally } from '../accounts/account-tally.js';
import type { AttributeOptions, AttributionMethod, AttributionReport } from '../accounts/attribute-accounts.js';
import type { AccountDecoding, DecodeAccountOptions } from '../accounts/decode-account.js';
import { checkTestKeys } from './check-keys.js';
import { groupKeys, type KeyCounter, type KeyGroup } from './key-groups.js';
import { buildReport, type KeyTestResult, type RadioactivityReport } from './report.js';
import { PromptExclusion } from './prompt-exclusion.js';
import { checkFilter } from './closed-filter.js';
import { checkAlpha, DEFAULT_ALPHA } from '../stats/validate.js';

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
   * Which account received each emitted window (every account's outputs recorded, e.g. an
   * `AccountLedger`): enables the ledger method of {@link ClosedModeTest.attributeAccounts}.
   * Implies `accounts`. LeftHash keys only, with the ledger's window equal to the key's.
   */
  owners?: WindowOwners;
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
  private readonly prompts = new PromptExclusion();
  private readonly words = new Uint32Array(17);
  private readonly hash = new Uint32Array(2);
  readonly #seed = new Uint32Array(2);
  private readonly accounts: AccountObserver | undefined;

  constructor(keys: readonly WatermarkKey[], options: ClosedModeOptions = {}) {
    const controls = options.controls ?? [];
    checkTestKeys(keys, controls, ['kgw', 'gumbel', 'synthid']);
    const first = keys[0] as WatermarkKey; // checkTestKeys requires one
    this.filter = checkFilter(options.filter, first);
    ({ counters: this.counters, groups: this.groups } = groupKeys(keys, controls));
    this.alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
    this.randomSeed = options.randomSeed ?? 1;
    this.promptRule = options.promptRule ?? 'all';
    if (options.accounts || options.owners) this.accounts = new AccountObserver(first, this.firstGroup.seeder, options.owners);
  }

  /** Registers the windows of a prompt: they are never scored in completions read afterwards. */
  excludePrompt(prompt: ArrayLike<number>): void {
    this.prompts.register(this.groups, prompt);
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
    const h = this.firstGroup.seeder.window;
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
    const scoring = this.firstCounter.greenList.scoring;
    const tested = this.counters.filter((c) => c.tested).map((c) => keyResult(c));
    const controls = this.counters.filter((c) => !c.tested);
    const random = seededRandom(this.randomSeed);
    return buildReport({
      mode: 'closed',
      statistic: scoring.statistic,
      tokens: this.tokens,
      gamma: scoring.gamma,
      alpha: this.alpha,
      tested,
      controls: {
        log10PValues: controls.map((c) => keyResult(c).log10PValue),
        uniforms: controls.map((c) => c.greenList.scoring.uniformPValue(c.score, c.scored, random())),
        ksOf: scoring.uniformKind,
      },
      notes: closedNotes(this.promptRule, this.filter !== undefined),
      // With a filter, which tuples are scored can depend on earlier colours: only the betting
      // p-value has a proof there (docs/RADIOACTIVITY.md, "Proven p-values").
      verdictOnProven: this.filter !== undefined,
    });
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
    if (!this.accounts && options.method === 'ledger') {
      throw new RadiomarkError('INVALID_ARGUMENT', 'the ledger method needs the owners option of ClosedModeTest');
    }
    return this.observer().attributeAccounts(candidates, options, this.alpha, this.firstCounter.greenList.gamma);
  }

  /** Decodes the account id that dominates the suspect's outputs (list decoding, corrected for 2^32 ids). */
  decodeAccount(options: DecodeAccountOptions = {}): AccountDecoding {
    return this.observer().decodeAccount(options, this.alpha);
  }

  /** The account tally (requires the `accounts` option). */
  accountTally(): AccountTally {
    return this.observer().tally;
  }

  private observer(): AccountObserver {
    if (!this.accounts) throw new RadiomarkError('INVALID_ARGUMENT', 'per-account tests need the accounts option of ClosedModeTest');
    return this.accounts;
  }

  private get firstGroup(): KeyGroup {
    return this.groups[0] as KeyGroup; // groupKeys makes one group per key at most, and there is a key
  }

  private get firstCounter(): KeyCounter {
    return this.counters[0] as KeyCounter;
  }

  // `counted`: the first group's positions feed the test's counts and the account observer.
  private scorePosition(group: KeyGroup, all: ArrayLike<number>, i: number, counted: boolean): void {
    const token = all[i]!;
    const words = this.words;
    const count = group.seeder.seedInput(all, i, words, token);
    if (this.prompts.excludes(group, all, i, words, count)) {
      if (counted) this.promptExcluded++;
      return;
    }
    words[count] = token;
    hashWords64(words, count + 1, this.hash);
    if (!group.seen.add(this.hash[0]!, this.hash[1]!)) {
      if (counted) this.repeats++;
      return;
    }
    if (counted) this.accounts?.addTuple(words, count, token);
    const firstGreen = this.scoreMembers(group, words, count, token);
    if (counted) this.accounts?.credit(all, i, firstGreen);
  }

  // Scores one new tuple under every key of the group; returns whether it favoured the first tested key.
  private scoreMembers(group: KeyGroup, words: Uint32Array, count: number, token: number): boolean {
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
    return firstGreen;
  }
}

function closedNotes(promptRule: 'all' | 'earlier', filtered: boolean): string[] {
  const notes = [
    'each distinct (seed input, token) tuple is scored once over all completions (one global tape)',
    promptRule === 'all'
      ? 'windows occurring in any prompt are never scored'
      : "windows occurring in the line's own prompt or any earlier prompt are never scored",
  ];
  if (filtered) notes.push('only windows in the filter (fixed before reading) are scored');
  return notes;
}

function keyResult(c: KeyCounter): KeyTestResult {
  const { scoring } = c.greenList;
  const log10PValue = scoring.log10PValue(c.score, c.scored);
  return {
    keyId: c.key.id,
    scored: c.scored,
    green: c.score,
    expected: scoring.meanScore * c.scored,
    log10PValue,
    adjustedLog10PValue: log10PValue,
    z: scoring.z(c.score, c.scored),
    bettingLog10PValue: scoring.bettingLog10PValue(c.score, c.scored),
  };
}
