// kill -9 during a burst of requests, then restart: the ledger loads and holds every answer
// whose response completed before the kill. The server checkpoints every 5 answers, so the
// kill also lands around folds of the journal into the ledger file.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey, getTokenizer, saveKey } from '../../src/index.js';
import { loadAccountLedger } from '../../src/node/ledger-files.js';
import { sha256Hex } from '../../src/serve/api-keys.js';
import { runCliAsync, startServe, type ServeProcess } from '../helpers/serve-process.js';

const ACCOUNT = 77;
const API_KEY = 'sk-crash-test-key';
const dir = mkdtempSync(join(tmpdir(), 'radiomark-crash-'));
const keyPath = join(dir, 'provider.key');
const accountsPath = join(dir, 'accounts.json');
const ledgerPath = join(dir, 'owners.rmowners');
const running: ServeProcess[] = [];

afterAll(() => {
  for (const s of running) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('radiomark serve: crash safety of the ledger', () => {
  it('kill -9 mid-burst loses no acknowledged answer; restart folds the journal', async () => {
    await saveKey(generateKey(), keyPath);
    writeFileSync(accountsPath, JSON.stringify([{ account: ACCOUNT, apiKeySha256: sha256Hex(API_KEY) }]));
    const args = ['--key', keyPath, '--accounts', accountsPath, '--ledger', ledgerPath, '--concurrency', '2', '--checkpoint-every', '5'];
    const first = await startServe(args);
    running.push(first);

    // 40 requests at once; temperature 0.7 takes the full-logits path (a few ms per token),
    // so answers complete one by one while the rest wait or generate.
    const completed: string[] = [];
    let failed = 0;
    const requests = Array.from({ length: 40 }, (_, i) =>
      fetch(`${first.baseURL}/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'reference', prompt: `Story number ${i}:`, max_tokens: 40, temperature: 0.7, seed: i }),
      })
        .then(async (r) => {
          const body = (await r.json()) as { choices: { text: string }[] };
          completed.push(body.choices[0]!.text);
        })
        .catch(() => failed++),
    );
    const deadline = Date.now() + 60_000;
    while (completed.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    const acknowledged = [...completed]; // responses fully received before the kill
    await Promise.all(requests);
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(8);
    expect(failed).toBeGreaterThan(0); // the kill did cut requests in flight

    // Read-only, before the restart: ledger file plus the crashed server's journal.
    const info = await runCliAsync(['ledger', 'info', '--json', ledgerPath]);
    expect(info.code).toBe(0);
    const beforeRestart = JSON.parse(info.out) as { windows: number; journal?: { answers: number } };

    const second = await startServe(args);
    running.push(second);
    expect(second.output().err).toMatch(/folded \d+ answer\(s\) from the journal of an interrupted run/);
    const whileRunning = await runCliAsync(['ledger', 'info', '--json', ledgerPath]);
    expect(whileRunning.code).toBe(0);
    expect((JSON.parse(whileRunning.out) as { windows: number }).windows).toBe(beforeRestart.windows);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(existsSync(`${ledgerPath}.journal`)).toBe(false);

    const ledger = await loadAccountLedger(ledgerPath, 2, 'o200k_base');
    const tok = getTokenizer('o200k_base');
    let windows = 0;
    for (const text of acknowledged) {
      const ids = tok.encode(text);
      for (let end = 2; end <= ids.length; end++, windows++) expect(ledger.ownerOf(ids, end)).toBe(ACCOUNT);
    }
    expect(ledger.info().windows).toBe(beforeRestart.windows);
    console.info(
      `crash test: ${acknowledged.length} answers acknowledged before kill -9, ${failed} requests cut; ` +
        `${beforeRestart.journal?.answers ?? 0} journal records folded at restart; all ${windows} windows of acknowledged answers in the ledger`,
    );
  });
});
