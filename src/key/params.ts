import { RadiomarkError } from '../base/errors.js';
import { TOKENIZER_VOCAB_SIZES } from './tokenizer.js';

/**
 * Watermarking scheme.
 * - `kgw`: green-list logit bias (Kirchenbauer et al. 2023); changes the distribution.
 * - `gumbel`: Gumbel-max / exponential sampling (Aaronson); distortion-free per token.
 * - `synthid`: tournament sampling over `layers` g-values (Dathathri et al. 2024); distortion-free per token.
 */
export type Scheme = 'kgw' | 'gumbel' | 'synthid';

/**
 * How the previous tokens seed the green list (see docs/SPEC.md):
 * `lefthash` hashes the whole window, `minhash` the window's smallest-rank token
 * (robust to edits), `selfhash` also includes the candidate token itself.
 */
export type Seeding = 'lefthash' | 'selfhash' | 'minhash';

/** The public parameters a key carries. Safe to print. */
export interface WatermarkParams {
  /** Scheme, default `kgw`. */
  readonly scheme: Scheme;
  /** Fraction of the vocabulary that is green in each context, in (0, 1). Default 0.25. */
  readonly gamma: number;
  /** Logit bias added to green tokens at generation (KGW). Default 2. */
  readonly delta: number;
  /** h: number of previous tokens that seed the green list, 0 to 8. Default 2. */
  readonly window: number;
  /** Seeding scheme. Default `lefthash`. */
  readonly seeding: Seeding;
  /** Tiktoken encoding name. Default `o200k_base`. */
  readonly tokenizer: string;
  /** Tournament layers m of `synthid`, 1 to 32 (ignored by other schemes). Default 30. */
  readonly layers: number;
}

/**
 * The defaults: KGW, gamma 0.25, delta 2, LeftHash over h = 2 previous tokens, o200k_base.
 *
 * @example
 * ```ts
 * generateKey({ ...DEFAULT_PARAMS, window: 4 });
 * ```
 */
export const DEFAULT_PARAMS: WatermarkParams = Object.freeze({
  scheme: 'kgw',
  gamma: 0.25,
  delta: 2,
  window: 2,
  seeding: 'lefthash',
  tokenizer: 'o200k_base',
  layers: 30,
});

const SCHEMES: readonly string[] = ['kgw', 'gumbel', 'synthid'];
const SEEDINGS: readonly string[] = ['lefthash', 'selfhash', 'minhash'];
/**
 * Largest supported window h.
 *
 * @example
 * ```ts
 * generateKey({ window: MAX_WINDOW });
 * ```
 */
export const MAX_WINDOW = 8;

/**
 * Fills defaults and validates every field, naming the first bad one.
 *
 * @example
 * ```ts
 * resolveParams({ gamma: 0.5 }).window; // 2
 * ```
 */
export function resolveParams(partial: Partial<WatermarkParams> = {}, where = 'params'): WatermarkParams {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${where} must be an object`);
  }
  const p = { ...DEFAULT_PARAMS, ...definedOnly(partial) };
  const bad = (field: string, why: string): never => {
    throw new RadiomarkError('INVALID_ARGUMENT', `${where}.${field} ${why}`);
  };
  if (!SCHEMES.includes(p.scheme)) bad('scheme', `must be one of ${SCHEMES.join(', ')} (got ${show(p.scheme)})`);
  if (!isNumber(p.gamma) || p.gamma <= 0 || p.gamma >= 1) bad('gamma', `must be a number in (0, 1) (got ${show(p.gamma)})`);
  // The green test compares with floor(gamma * 2^32): below 2^-32 no token could be green.
  if (p.gamma * 2 ** 32 < 1) bad('gamma', `must be at least 2^-32 (got ${show(p.gamma)})`);
  if (!isNumber(p.delta) || p.delta < 0 || p.delta > 100) bad('delta', `must be a number in [0, 100] (got ${show(p.delta)})`);
  if (!Number.isInteger(p.window) || p.window < 0 || p.window > MAX_WINDOW) {
    bad('window', `must be an integer from 0 to ${MAX_WINDOW} (got ${show(p.window)})`);
  }
  if (!SEEDINGS.includes(p.seeding)) bad('seeding', `must be one of ${SEEDINGS.join(', ')} (got ${show(p.seeding)})`);
  if (p.seeding !== 'lefthash' && p.window < 1) bad('window', `must be at least 1 with seeding "${p.seeding}"`);
  // Own properties only: "constructor" or "__proto__" are not tokenizers.
  if (typeof p.tokenizer !== 'string' || !Object.hasOwn(TOKENIZER_VOCAB_SIZES, p.tokenizer)) {
    bad('tokenizer', `must be one of ${Object.keys(TOKENIZER_VOCAB_SIZES).join(', ')} (got ${show(p.tokenizer)})`);
  }
  if (!Number.isInteger(p.layers) || p.layers < 1 || p.layers > 32) {
    bad('layers', `must be an integer from 1 to 32 (got ${show(p.layers)})`);
  }
  return Object.freeze({
    scheme: p.scheme,
    gamma: p.gamma,
    delta: p.delta,
    window: p.window,
    seeding: p.seeding,
    tokenizer: p.tokenizer,
    layers: p.layers,
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function show(x: unknown): string {
  const s = typeof x === 'string' ? JSON.stringify(x) : String(x);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
