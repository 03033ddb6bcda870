// Timing and result-writing helpers shared by the benchmark scripts (Node only).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory the benchmark JSON results go to: benchmarks/results/. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

const now = (): number => performance.now();

/** Median of a list of numbers (does not modify its input). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A quantile (0..1) of a list of numbers, by the nearest-rank rule. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

/**
 * Runs `fn` `reps` times (after `warmup` untimed runs) and returns the median wall time of one
 * run, in seconds.
 */
export function medianSeconds(fn: () => unknown, reps = 5, options: { warmup?: number } = {}): number {
  for (let i = 0; i < (options.warmup ?? 0); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    fn();
    times.push((now() - t0) / 1000);
  }
  return median(times);
}

/** Per-candidate samples and summary of {@link interleaved}. */
export interface Samples {
  /** Seconds per call, one sample per round. */
  readonly samples: number[];
  /** Median seconds per call. */
  readonly median: number;
  /** 10th percentile (a low-noise estimate on a busy machine). */
  readonly p10: number;
}

/**
 * Times several candidates fairly: `rounds` rounds, each running every candidate once (in an
 * order rotated every round) for `inner` calls; a sample is the mean time of one call in that
 * round. Interleaving spreads machine noise (other processes, frequency changes) evenly over the
 * candidates, so ratios of medians are stable even when absolute times drift.
 */
export function interleaved<K extends string>(
  candidates: Record<K, () => unknown>,
  options: { rounds?: number; inner?: number; warmup?: number } = {},
): Record<K, Samples> {
  const rounds = options.rounds ?? 51;
  const inner = options.inner ?? 1;
  const names = Object.keys(candidates) as K[];
  for (const name of names) for (let i = 0; i < (options.warmup ?? 5) * inner; i++) candidates[name]();
  const samples = new Map<K, number[]>(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(r + j) % names.length]!;
      const fn = candidates[name];
      const t0 = now();
      for (let i = 0; i < inner; i++) fn();
      samples.get(name)?.push((now() - t0) / 1000 / inner);
    }
  }
  return Object.fromEntries([...samples].map(([n, xs]) => [n, { samples: xs, median: median(xs), p10: quantile(xs, 0.1) }])) as Record<
    K,
    Samples
  >;
}

/**
 * Seconds per call for nanosecond-scale functions: `loop(calls)` must make `calls` calls itself
 * (so that its call site stays monomorphic and can inline the function under test) and return
 * a checksum of their results (so the work cannot be optimised away). Median of `reps` runs.
 */
export function perCallSeconds(loop: (calls: number) => number, calls: number, reps = 15): { seconds: number; checksum: number } {
  let checksum = loop(Math.min(calls, 10_000)) | 0; // warm-up
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = now();
    checksum ^= loop(calls) | 0;
    times.push((now() - t0) / 1000 / calls);
  }
  return { seconds: median(times), checksum };
}

/** Where and when a benchmark ran. */
export function environment(): Record<string, unknown> {
  const cpu = cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
  };
}

/**
 * Writes `result` (plus an `environment` block: date, Node and V8 versions, CPU) to
 * benchmarks/results/<name>.json and returns the path.
 */
export function writeResult(name: string, result: object): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...result, environment: environment() }, null, 2) + '\n');
  return path;
}
