// The journal beside a served account ledger: group-committed records parse back, a torn tail
// (a crash mid-append) keeps every whole record before it, and replaying a journal into a
// ledger that already holds it changes nothing (so a crash during a fold is safe).
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountLedger } from '../../src/index.js';
import { AnswerJournal, journalPathOf, parseJournal } from '../../src/serve/answer-journal.js';
import { replayJournalInto, ServedLedger } from '../../src/serve/served-ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const answer = (i: number) => Uint32Array.from({ length: 20 + i }, (_, j) => (i * 7919 + j * 104_729) % 200_019);

describe('answer journal', () => {
  it('concurrent appends are all durable, in one file, in order of arrival', async () => {
    const path = join(dir, 'a.journal');
    const journal = await AnswerJournal.create(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append(i, answer(i))));
    await journal.close();
    const { records, torn } = parseJournal(readFileSync(path));
    expect(torn).toBe(false);
    expect(records.map((r) => r.account)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(records[49]!.ids).toEqual(answer(49));
  });

  it('a torn last record is dropped; the records before it are kept', async () => {
    const path = join(dir, 'b.journal');
    const journal = await AnswerJournal.create(path);
    for (let i = 0; i < 3; i++) await journal.append(i, answer(i));
    await journal.close();
    const size = readFileSync(path).length;
    for (const cut of [1, 4, 9, 30]) {
      writeFileSync(join(dir, 'c.journal'), readFileSync(path).subarray(0, size - cut));
      const { records, torn } = parseJournal(readFileSync(join(dir, 'c.journal')));
      expect(torn).toBe(true);
      expect(records).toHaveLength(2);
    }
    const flipped = readFileSync(path);
    flipped[flipped.length - 6]! ^= 1; // corrupt the last record's ids: its CRC fails
    expect(parseJournal(flipped).records).toHaveLength(2);
  });

  it('ServedLedger: reopening after a crash folds the journal; folding twice is a no-op', async () => {
    const path = join(dir, 'owners.rmowners');
    const served = await ServedLedger.open(path, { window: 2, tokenizer: 'o200k_base' });
    expect(served.recovery).toEqual({ recovered: 0, tornTail: false, created: true });
    for (let i = 0; i < 10; i++) await served.record(i % 3, answer(i));
    // No close(): as after kill -9, the ledger file is empty and the journal holds everything.
    const expected = AccountLedger.create({ window: 2 });
    for (let i = 0; i < 10; i++) expected.record(i % 3, answer(i));
    const journal = readFileSync(journalPathOf(path));
    truncateSync(journalPathOf(path), journal.length - 3); // the last record torn
    const reread = AccountLedger.create({ window: 2 });
    expect(await replayJournalInto(reread, path)).toEqual({ answers: 9, torn: true });
    writeFileSync(journalPathOf(path), journal); // whole again
    const reopened = await ServedLedger.open(path, { window: 2, tokenizer: 'o200k_base' });
    expect(reopened.recovery).toEqual({ recovered: 10, tornTail: false, created: false });
    expect(reopened.snapshot().toBytes()).toEqual(expected.toBytes());
    // A crash after the fold but before the journal was reset replays it again: same ledger.
    writeFileSync(journalPathOf(path), journal);
    const again = await ServedLedger.open(path, { window: 2, tokenizer: 'o200k_base' });
    expect(again.recovery.recovered).toBe(10);
    expect(again.snapshot().toBytes()).toEqual(expected.toBytes());
    await again.close();
    expect(AccountLedger.fromBytes(readFileSync(path)).toBytes()).toEqual(expected.toBytes());
  });

  it('refuses a ledger with other parameters', async () => {
    const path = join(dir, 'h3.rmowners');
    writeFileSync(path, AccountLedger.create({ window: 3 }).toBytes());
    await expect(ServedLedger.open(path, { window: 2, tokenizer: 'o200k_base' })).rejects.toMatchObject({ code: 'INPUT_FORMAT' });
  });
});
