import { open, readFile, type FileHandle } from 'node:fs/promises';
import { crc32 } from '../base/crc32.js';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from '../node/fs-errors.js';

/**
 * Journal file magic: "RMJOURN1".
 *
 * @example
 * ```ts
 * (await readFile(journalPathOf('owners.rmowners'))).subarray(0, 8).toString() === JOURNAL_MAGIC;
 * ```
 */
export const JOURNAL_MAGIC = 'RMJOURN1';

/**
 * One served answer: the account it went to and the token ids recorded (prompt in front).
 *
 * @example
 * ```ts
 * const r: JournalRecord = { account: 40213, ids: Uint32Array.of(464, 3290, 11) };
 * ```
 */
export interface JournalRecord {
  account: number;
  ids: Uint32Array;
}

/**
 * The journal that sits beside an account ledger: `<ledger>.journal`.
 *
 * @example
 * ```ts
 * journalPathOf('owners.rmowners'); // 'owners.rmowners.journal'
 * ```
 */
export function journalPathOf(ledgerPath: string): string {
  return `${ledgerPath}.journal`;
}

// Record layout (little-endian): u32 payload bytes, payload = u32 account, u32 count,
// count x u32 ids, then u32 CRC-32 of the payload. A torn tail fails its length or CRC.
function encodeRecord(account: number, ids: ArrayLike<number>): Buffer {
  const payload = 8 + 4 * ids.length;
  const out = Buffer.alloc(4 + payload + 4);
  out.writeUInt32LE(payload, 0);
  out.writeUInt32LE(account, 4);
  out.writeUInt32LE(ids.length, 8);
  for (let i = 0; i < ids.length; i++) out.writeUInt32LE(ids[i]!, 12 + 4 * i);
  out.writeUInt32LE(crc32(out.subarray(4, 4 + payload)), 4 + payload);
  return out;
}

/**
 * Parses journal bytes: the valid records in order and whether the file ended in a torn
 * record (an append cut short by a crash: it was never synced, so never acknowledged).
 *
 * @example
 * ```ts
 * const { records, torn } = parseJournal(await readFile('owners.rmowners.journal'));
 * ```
 */
export function parseJournal(bytes: Uint8Array, source = 'journal'): { records: JournalRecord[]; torn: boolean } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8) return { records: [], torn: buf.length > 0 };
  if (buf.toString('latin1', 0, 8) !== JOURNAL_MAGIC) throw new RadiomarkError('INPUT_FORMAT', `${source}: not a radiomark journal`);
  const records: JournalRecord[] = [];
  let at = 8;
  while (at < buf.length) {
    if (at + 4 > buf.length) return { records, torn: true };
    const payload = buf.readUInt32LE(at);
    const end = at + 4 + payload + 4;
    if (payload < 8 || end > buf.length) return { records, torn: true };
    if (crc32(buf.subarray(at + 4, at + 4 + payload)) !== buf.readUInt32LE(end - 4)) return { records, torn: true };
    const count = buf.readUInt32LE(at + 8);
    if (8 + 4 * count !== payload) return { records, torn: true };
    const ids = new Uint32Array(count);
    for (let i = 0; i < count; i++) ids[i] = buf.readUInt32LE(at + 12 + 4 * i);
    records.push({ account: buf.readUInt32LE(at + 4), ids });
    at = end;
  }
  return { records, torn: false };
}

/**
 * Reads a journal file; a missing file is an empty journal.
 *
 * @example
 * ```ts
 * const { records } = await readJournal('owners.rmowners.journal');
 * ```
 */
export async function readJournal(path: string): Promise<{ records: JournalRecord[]; torn: boolean; exists: boolean }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], torn: false, exists: false };
    throw new RadiomarkError('INPUT_FORMAT', `cannot read journal ${path}: ${describeFsError(e)}`);
  }
  return { ...parseJournal(bytes, path), exists: true };
}

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

/**
 * An append-only journal with group commit: `append` queues a record and resolves once the
 * record is written and `fdatasync`ed. Records queued while a sync runs go out together in
 * the next write and sync, so one sync covers many answers under load and none waits for
 * more than two syncs. Nothing is acknowledged before it is on disk.
 *
 * @example
 * ```ts
 * const journal = await AnswerJournal.create('owners.rmowners.journal');
 * await journal.append(40213, ids); // durable now
 * await journal.close();
 * ```
 */
export class AnswerJournal {
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private pump: Promise<void> | undefined;
  private failure: unknown;
  private appended = 0;
  // Explicit write offsets: the file is not opened for append, so a truncate resets them.
  private offset = JOURNAL_MAGIC.length;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
  ) {}

  /**
   * Creates (truncates) the journal and syncs its header.
   *
   * @example
   * ```ts
   * const journal = await AnswerJournal.create(journalPathOf('owners.rmowners'));
   * ```
   */
  static async create(path: string): Promise<AnswerJournal> {
    let handle: FileHandle;
    try {
      // 0600 like the account ledger itself: it says who received what.
      handle = await open(path, 'w', 0o600);
      await handle.write(Buffer.from(JOURNAL_MAGIC, 'latin1'));
      await handle.datasync();
    } catch (e) {
      throw new RadiomarkError('INPUT_FORMAT', `cannot create journal ${path}: ${describeFsError(e)}`);
    }
    return new AnswerJournal(handle, path);
  }

  /** Records appended (acknowledged or queued) since the journal was created or truncated. */
  get records(): number {
    return this.appended;
  }

  /** Queues one record; resolves when it is durable, rejects if the write or sync failed. */
  append(account: number, ids: ArrayLike<number>): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.pending.push(encodeRecord(account, ids));
    this.appended++;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.pump ??= this.drain();
    return done;
  }

  /**
   * Waits for every queued record, then empties the journal (once its contents are folded
   * elsewhere). The caller must hold back new appends until this resolves.
   */
  async truncate(): Promise<void> {
    await this.flushed();
    await this.handle.truncate(JOURNAL_MAGIC.length);
    await this.handle.datasync();
    this.offset = JOURNAL_MAGIC.length;
    this.appended = 0;
  }

  /** Waits for every queued record to be durable. */
  async flushed(): Promise<void> {
    while (this.pump) await this.pump;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    try {
      await this.flushed();
    } finally {
      await this.handle.close();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = Buffer.concat(this.pending);
        const waiters = this.waiters;
        this.pending = [];
        this.waiters = [];
        try {
          await this.handle.write(batch, 0, batch.length, this.offset);
          this.offset += batch.length;
          await this.handle.datasync();
        } catch (e) {
          // The file's tail is now unknown: fail this batch and everything after it.
          this.failure = new RadiomarkError('INPUT_FORMAT', `cannot write journal ${this.path}: ${describeFsError(e)}`);
          for (const w of [...waiters, ...this.waiters]) w.reject(this.failure);
          this.waiters = [];
          this.pending = [];
          return;
        }
        for (const w of waiters) w.resolve();
      }
    } finally {
      this.pump = undefined;
    }
  }
}
