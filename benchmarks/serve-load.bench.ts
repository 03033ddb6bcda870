// Load test of radiomark serve on 127.0.0.1: 16 concurrent clients (keep-alive fetch loops)
// send POST /v1/completions (non-streaming, reference model, 200 tokens, temperature 1) to four
// servers started side by side from the CLI: watermark + ledger, watermark only, ledger only,
// and both off (the baseline). Rounds are interleaved (order rotated each round) so that load
// from other processes hits every configuration alike. Reported per configuration: requests/s,
// p50/p99 latency, and the cost ratio = baseline req/s / this configuration's req/s (mean time
// per request relative to the baseline, same run).
// Run: npx tsx benchmarks/serve-load.bench.ts [--quick]   (about 2 minutes; --quick about 30 s)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, saveKey } from '../src/index.js';
import { sha256Hex } from '../src/serve/api-keys.js';
import { QUICK, log, resultName, round } from './lib/harness.js';
import { quantile, writeResult } from './lib/timing.js';

const CLIENTS = 16;
const TOKENS = 200;
const ROUNDS = QUICK ? 2 : 6;
const ROUND_SECONDS = QUICK ? 3 : 5;
const API_KEY = 'sk-bench-load';

const CONFIGS = [
  { name: 'watermark + ledger', watermark: true, ledger: true },
  { name: 'watermark only', watermark: true, ledger: false },
  { name: 'ledger only', watermark: false, ledger: true },
  { name: 'both off (baseline)', watermark: false, ledger: false },
] as const;

async function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 120_000;
  while (!/listening on (\S+)\n/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: /listening on (\S+)\n/.exec(out)![1]! };
}

// 16 loops, each sending the next request when its previous answer arrived, for `seconds`.
async function runRound(url: string, seconds: number, seed: number): Promise<{ latencies: number[]; elapsed: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  let n = 0;
  const client = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const r = await fetch(`${url}/v1/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'reference', prompt: `Report number ${seed}-${n++}:`, max_tokens: TOKENS }),
      });
      const body = (await r.json()) as { usage?: { completion_tokens: number } };
      if (r.status !== 200 || body.usage?.completion_tokens !== TOKENS) throw new Error(`bad answer: HTTP ${r.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { latencies, elapsed: (performance.now() - start) / 1000 };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radiomark-serve-bench-'));
  const keyPath = join(dir, 'provider.key');
  await saveKey(generateKey(), keyPath);
  const accounts = join(dir, 'accounts.json');
  writeFileSync(accounts, JSON.stringify([{ account: 1234, apiKeySha256: sha256Hex(API_KEY) }]));
  const servers: { child: ChildProcess; url: string }[] = [];
  try {
    for (const [i, c] of CONFIGS.entries()) {
      const args = ['--accounts', accounts, '--concurrency', '4', '--key', keyPath];
      if (!c.watermark) args.push('--no-watermark');
      if (c.ledger) args.push('--ledger', join(dir, `owners-${i}.rmowners`));
      servers.push(await startServer(args));
    }
    log(`servers up; warming up`);
    for (const s of servers) await runRound(s.url, 1, -1);
    const samples = CONFIGS.map(() => ({ latencies: [] as number[], seconds: 0 }));
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < CONFIGS.length; k++) {
        const i = (k + r) % CONFIGS.length;
        const { latencies, elapsed } = await runRound(servers[i]!.url, ROUND_SECONDS, r);
        samples[i]!.latencies.push(...latencies);
        samples[i]!.seconds += elapsed;
      }
      log(`round ${r + 1}/${ROUNDS}`);
    }
    const baseline = samples[CONFIGS.length - 1]!;
    const baseRate = baseline.latencies.length / baseline.seconds;
    const rows = CONFIGS.map((c, i) => {
      const s = samples[i]!;
      const sorted = [...s.latencies].sort((a, b) => a - b);
      const rate = s.latencies.length / s.seconds;
      return {
        config: c.name,
        requests: s.latencies.length,
        seconds: round(s.seconds),
        requestsPerSecond: round(rate),
        tokensPerSecond: round(rate * TOKENS),
        p50Ms: round(quantile(sorted, 0.5)),
        p99Ms: round(quantile(sorted, 0.99)),
        costRatio: round(baseRate / rate),
      };
    });
    for (const row of rows) log(JSON.stringify(row));
    const path = writeResult(resultName('serve-load'), {
      benchmark: 'serve-load',
      quick: QUICK,
      settings: {
        clients: CLIENTS,
        tokensPerAnswer: TOKENS,
        endpoint: 'POST /v1/completions, non-streaming, temperature 1, top_p 1 (exact rejection fast path)',
        model: 'reference (Kneser-Ney order 4, o200k_base)',
        serverConcurrency: 4,
        rounds: ROUNDS,
        roundSeconds: ROUND_SECONDS,
        ledger: 'account ledger, journal fdatasync per group commit before each response',
        costRatio: 'baseline requests/s divided by this configuration requests/s, interleaved rounds of the same run',
      },
      rows,
    });
    log(`wrote ${path}`);
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
