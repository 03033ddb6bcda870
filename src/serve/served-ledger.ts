import { unlink } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import { AccountLedger } from '../ledger/account-ledger.js';
import { readLedgerFile, writeLedgerFile } from '../node/ledger-files.js';
import { AnswerJournal, journalPathOf, readJournal } from './answer-journal.js';

/**
 * Options of {@link ServedLedger.open}.
 *
 * @example
 * ```ts
 * const options: ServedLedgerOptions = { window: 2, tokenizer: 'o200k_base', checkpointEvery: 10_000 };
 * ```
 */
export interface ServedLedgerOptions {
  /** Window length h of a new ledger; an existing one must agree. */
  window: number;
  /** Tokenizer name of a new ledger; an existing one must agree. */
  tokenizer: string;
  /** Fold the journal into the ledger file after this many answers (default 10,000). */
  checkpointEvery?: number;
}

/**
 * What {@link ServedLedger.open} found and did.
 *
 * @example
 * ```ts
 * const { recovered, tornTail } = (await ServedLedger.open(path, options)).recovery;
 * ```
 */
export interface ServedLedgerRecovery {
  /** Answers replayed from a journal left by a crash. */
  recovered: number;
  /** True if that journal ended in a torn (never synced, never acknowledged) record. */
  tornTail: boolean;
  /** True if the ledger file did not exist and was created. */
  created: boolean;
}

/**
 * The account ledger of a running server: an in-memory {@link AccountLedger}, the ledger file,
 * and an append-only journal beside it (`<ledger>.journal`). Every answer is appended to the
 * journal and synced before `record` resolves (group commit, see {@link AnswerJournal}); the
 * journal is folded into the ledger file (atomic replace) every `checkpointEvery` answers, on
 * `close`, and on `open` after a crash. Replaying a record twice changes nothing (recording a
 * window for the same account again is a no-op), so a crash at any point of a fold is safe.
 * A crash loses only answers whose `record` had not resolved, i.e. never acknowledged ones.
 *
 * @example
 * ```ts
 * const served = await ServedLedger.open('owners.rmowners', { window: 2, tokenizer: 'o200k_base' });
 * await served.record(40213, concatIds(promptIds, outputIds)); // durable: now answer the client
 * await served.close(); // folds the journal into owners.rmowners
 * ```
 */
export class ServedLedger {
  private gate: Promise<void> | undefined;
  private answersRecorded = 0;

  private constructor(
    readonly path: string,
    private readonly ledger: AccountLedger,
    private readonly journal: AnswerJournal,
    private readonly checkpointEvery: number,
    readonly recovery: ServedLedgerRecovery,
  ) {}

  /**
   * Opens (or creates) the ledger, replays and folds a journal left by a crash, and starts a
   * fresh journal. A ledger of the wrong kind or parameters is an `INPUT_FORMAT` error.
   *
   * @example
   * ```ts
   * const served = await ServedLedger.open('owners.rmowners', { window: 2, tokenizer: 'o200k_base' });
   * served.recovery.recovered; // answers replayed from a crashed run
   * ```
   */
  static async open(path: string, options: ServedLedgerOptions): Promise<ServedLedger> {
    const checkpointEvery = options.checkpointEvery ?? 10_000;
    if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
      throw new RadiomarkError('INVALID_ARGUMENT', `checkpointEvery must be an integer >= 1 (got ${String(checkpointEvery)})`);
    }
    const existing = await readLedgerFile(path, true);
    if (existing && existing.kind !== 'account') {
      throw new RadiomarkError('INPUT_FORMAT', `${path} is an emission ledger; a server records an account ledger`);
    }
    const ledger = existing?.ledger ?? AccountLedger.create({ window: options.window, tokenizer: options.tokenizer });
    if (ledger.window !== options.window || ledger.tokenizer !== options.tokenizer) {
      throw new RadiomarkError(
        'INPUT_FORMAT',
        `${path} records h=${ledger.window} with ${ledger.tokenizer}, but the server's key has h=${options.window} with ${options.tokenizer}`,
      );
    }
    const journalPath = journalPathOf(path);
    const left = await readJournal(journalPath);
    for (const r of left.records) ledger.record(r.account, r.ids);
    if (left.records.length > 0 || !existing) await writeLedgerFile(path, ledger.toBytes());
    // Only now is the old journal redundant: a crash before this point replays it again.
    const journal = await AnswerJournal.create(journalPath);
    const recovery = { recovered: left.records.length, tornTail: left.torn, created: !existing };
    return new ServedLedger(path, ledger, journal, checkpointEvery, recovery);
  }

  /** Answers recorded since `open`. */
  get answers(): number {
    return this.answersRecorded;
  }

  /** Records one answer (prompt ids in front); resolves once it is durable in the journal. */
  async record(account: number, ids: ArrayLike<number>): Promise<void> {
    while (this.gate) await this.gate;
    this.ledger.record(account, ids);
    const durable = this.journal.append(account, ids);
    this.answersRecorded++;
    if (this.journal.records >= this.checkpointEvery) void this.checkpoint().catch(() => undefined);
    return durable;
  }

  /** Folds the journal into the ledger file now (atomic replace), then empties the journal. */
  checkpoint(): Promise<void> {
    if (this.gate) return this.gate;
    const run = (async () => {
      try {
        await this.journal.flushed();
        await writeLedgerFile(this.path, this.ledger.toBytes());
        await this.journal.truncate();
      } finally {
        this.gate = undefined;
      }
    })();
    this.gate = run;
    return run;
  }

  /** Folds the journal into the ledger file and removes the journal. */
  async close(): Promise<void> {
    while (this.gate) await this.gate;
    await this.checkpoint();
    await this.journal.close();
    await unlink(this.journal.path).catch(() => undefined);
  }

  /** The in-memory ledger (everything recorded so far). */
  snapshot(): AccountLedger {
    return this.ledger;
  }
}

/**
 * Adds the answers of the journal beside `ledgerPath` (a server running now, or one that
 * crashed) to `ledger` in memory, without touching either file: what the ledger will hold
 * once the journal is folded. `undefined` when there is no journal.
 *
 * @example
 * ```ts
 * const owners = await loadAccountLedger('owners.rmowners', 2, 'o200k_base');
 * const pending = await replayJournalInto(owners, 'owners.rmowners'); // { answers: 12, torn: false }
 * ```
 */
export async function replayJournalInto(
  ledger: AccountLedger,
  ledgerPath: string,
): Promise<{ answers: number; torn: boolean } | undefined> {
  const journal = await readJournal(journalPathOf(ledgerPath));
  if (!journal.exists) return undefined;
  for (const r of journal.records) ledger.record(r.account, r.ids);
  return { answers: journal.records.length, torn: journal.torn };
}
