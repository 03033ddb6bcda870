import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MAX_ACCOUNT_ID } from '../accounts/account-code.js';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from '../node/fs-errors.js';

/**
 * The API keys a server accepts, each bound to one account id. Only SHA-256 digests of the
 * keys are held (the accounts file never contains a key), and a bearer token is checked by
 * hashing it and comparing the digest with every entry in constant time, so neither the
 * timing nor an error message tells anything about the keys.
 *
 * @example
 * ```ts
 * const keys = await ApiKeys.load('accounts.json'); // [{"account": 40213, "apiKeySha256": "<64 hex>"}]
 * keys.accountOf('sk-...'); // 40213, or undefined for an unknown key
 * ```
 */
export class ApiKeys {
  private constructor(
    private readonly digests: readonly Buffer[],
    private readonly accounts: readonly number[],
  ) {}

  /** Number of keys. */
  get size(): number {
    return this.digests.length;
  }

  /**
   * Reads an accounts file: a JSON array of `{"account": <uint32>, "apiKeySha256": "<64 hex>"}`.
   * Bad files are `INPUT_FORMAT` errors naming the file and the entry (never its digest).
   *
   * @example
   * ```ts
   * const keys = await ApiKeys.load('accounts.json');
   * ```
   */
  static async load(path: string): Promise<ApiKeys> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new RadiomarkError('INPUT_FORMAT', `cannot read accounts file ${path}: ${describeFsError(e)}`);
    }
    let entries: unknown;
    try {
      entries = JSON.parse(text);
    } catch {
      throw new RadiomarkError('INPUT_FORMAT', `accounts file ${path} is not valid JSON`);
    }
    return ApiKeys.fromEntries(entries, `accounts file ${path}`);
  }

  /**
   * Builds the key set from parsed entries; a duplicate digest is an error (one key, one account).
   *
   * @example
   * ```ts
   * ApiKeys.fromEntries([{ account: 7, apiKeySha256: sha256Hex('sk-test') }]);
   * ```
   */
  static fromEntries(entries: unknown, source = 'accounts'): ApiKeys {
    const fail = (why: string): never => {
      throw new RadiomarkError('INPUT_FORMAT', `${source}: ${why}`);
    };
    if (!Array.isArray(entries) || entries.length === 0) fail('expected a non-empty JSON array of {"account", "apiKeySha256"}');
    const digests: Buffer[] = [];
    const accounts: number[] = [];
    const seen = new Set<string>();
    (entries as unknown[]).forEach((entry, i) => {
      const { account, apiKeySha256 } = (entry ?? {}) as { account?: unknown; apiKeySha256?: unknown };
      if (typeof account !== 'number' || !Number.isInteger(account) || account < 0 || account > MAX_ACCOUNT_ID) {
        fail(`entry ${i}: "account" must be an integer 0..${MAX_ACCOUNT_ID}`);
      }
      if (typeof apiKeySha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(apiKeySha256)) {
        fail(`entry ${i}: "apiKeySha256" must be 64 hex digits (the SHA-256 of the API key)`);
      }
      const hex = (apiKeySha256 as string).toLowerCase();
      if (seen.has(hex)) fail(`entry ${i}: the same API key digest appears twice`);
      seen.add(hex);
      digests.push(Buffer.from(hex, 'hex'));
      accounts.push(account as number);
    });
    return new ApiKeys(digests, accounts);
  }

  /**
   * The account of a bearer token, or `undefined`. Every entry is compared (no early exit),
   * each in constant time.
   */
  accountOf(token: string): number | undefined {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    let found = -1;
    for (let i = 0; i < this.digests.length; i++) {
      // Branch-free selection: the loop does the same work whichever entry matches.
      const match = timingSafeEqual(digest, this.digests[i]!) ? 1 : 0;
      found = match * i + (1 - match) * found;
    }
    return found >= 0 ? this.accounts[found] : undefined;
  }

  /** Never shows digests. */
  toJSON(): { keys: number } {
    return { keys: this.size };
  }
}

/**
 * SHA-256 of an API key, as the hex an accounts file holds.
 *
 * @example
 * ```ts
 * sha256Hex('sk-test'); // '…64 hex digits…'
 * ```
 */
export function sha256Hex(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/**
 * The token of an `Authorization: Bearer <token>` header, or `undefined`.
 *
 * @example
 * ```ts
 * bearerToken('Bearer sk-test'); // 'sk-test'
 * ```
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1];
}
