import { describe, expect, it } from 'vitest';
import { bloomFalsePositiveRate } from '../../src/ledger/bloom-filter.js';
import { EmissionLedger } from '../../src/ledger/emission-ledger.js';
import { generateKey } from '../../src/key/key.js';
import { ClosedModeTest } from '../../src/radioactivity/closed-mode.js';
import { clopperPearson } from '../../src/stats/index.js';
import { cleanText, rngOf } from '../helpers/synthetic-texts.js';

describe('emission ledger', () => {
  it('round-trips through bytes and keeps every recorded window', () => {
    const ledger = EmissionLedger.create({ window: 2, capacity: 10_000, falsePositiveRate: 1e-4 });
    const text = cleanText(2000, rngOf(1));
    ledger.record(text);
    const back = EmissionLedger.fromBytes(ledger.toBytes());
    for (let end = 2; end <= text.length; end++) expect(back.hasWindow(text, end)).toBe(true);
    expect(back.info()).toEqual(ledger.info());
    expect(back.info().window).toBe(2);
  });

  it('merges by bitwise OR and refuses other parameters', () => {
    const [a, b] = [cleanText(500, rngOf(2)), cleanText(500, rngOf(3))];
    const la = EmissionLedger.create({ window: 2, capacity: 5000 }).record(a);
    const lb = EmissionLedger.create({ window: 2, capacity: 5000 }).record(b);
    const merged = la.merge(lb);
    for (let end = 2; end <= 500; end++) {
      expect(merged.hasWindow(a, end)).toBe(true);
      expect(merged.hasWindow(b, end)).toBe(true);
    }
    expect(merged.info().inserted).toBe(la.info().inserted + lb.info().inserted);
    expect(() => la.merge(EmissionLedger.create({ window: 1, capacity: 5000 }))).toThrow(/merge/);
    expect(() => la.merge(EmissionLedger.create({ window: 2, capacity: 50_000 }))).toThrow(/merge/);
  });

  it('detects corruption, truncation, bad magic and unknown versions', () => {
    const bytes = EmissionLedger.create({ window: 2, capacity: 1000 }).record([1, 2, 3]).toBytes();
    const flipped = Uint8Array.from(bytes);
    flipped[60]! ^= 1;
    expect(() => EmissionLedger.fromBytes(flipped)).toThrow(/checksum/);
    expect(() => EmissionLedger.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    const magic = Uint8Array.from(bytes);
    magic[0] = 0x41;
    expect(() => EmissionLedger.fromBytes(magic)).toThrow(/magic/);
    const version = Uint8Array.from(bytes);
    version[8] = 9;
    expect(() => EmissionLedger.fromBytes(version)).toThrow(/version 9/);
  });

  it('has the false-positive rate (1 - e^(-kn/m))^k it reports', () => {
    const ledger = EmissionLedger.create({ window: 2, capacity: 20_000, falsePositiveRate: 0.02 });
    const rng = rngOf(4);
    const n = 20_000;
    const pair = new Uint32Array(2);
    for (let i = 0; i < n; i++) {
      pair[0] = i;
      pair[1] = 1_000_000 + Math.floor(rng() * 1e6);
      ledger.record(pair);
    }
    const info = ledger.info();
    expect(Math.abs(info.estimatedWindows - n) / n).toBeLessThan(0.05);
    const trials = 100_000;
    let fp = 0;
    for (let i = 0; i < trials; i++) {
      pair[0] = 50_000 + i; // never recorded
      pair[1] = 3_000_000 + i;
      if (ledger.hasWindow(pair, 2)) fp++;
    }
    const ci = clopperPearson(fp, trials, 0.999);
    const predicted = bloomFalsePositiveRate(info.bits, info.hashes, n);
    expect(ci.lower).toBeLessThanOrEqual(predicted);
    expect(ci.upper).toBeGreaterThanOrEqual(predicted);
    expect(info.falsePositiveRate).toBeCloseTo(predicted, 3);
  });

  it('serves as the closed-mode filter (same windows as the exact set)', () => {
    const key = generateKey({ window: 2 });
    const emitted = cleanText(300, rngOf(5));
    const ledger = EmissionLedger.create({ window: 2, capacity: 10_000, falsePositiveRate: 1e-6 }).record(emitted);
    const test = new ClosedModeTest([key], { filter: ledger });
    test.readCompletion(Uint32Array.of(9999, 9998, ...emitted.subarray(0, 50)));
    expect(test.result().scored).toBeGreaterThan(30);
    expect(test.filteredOut).toBe(2); // windows (9999, 9998) and (9998, e0) were never emitted
  });
});
