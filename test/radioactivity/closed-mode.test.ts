import { describe, expect, it } from 'vitest';
import { GreenList } from '../../src/schemes/green-list.js';
import { generateKey } from '../../src/key/key.js';
import { ClosedModeTest } from '../../src/radioactivity/closed-mode.js';
import { WindowSet } from '../../src/windows/window-filter.js';
import { clopperPearson } from '../../src/stats/index.js';
import { cleanText, rngOf, watermarkedText } from '../helpers/synthetic-texts.js';

describe('closed mode: exact null', () => {
  it('keeps the false-positive rate under wrong keys within Clopper-Pearson bounds', () => {
    const rng = rngOf(11);
    const trials = 400;
    let rejected = 0;
    for (let t = 0; t < trials; t++) {
      const test = new ClosedModeTest([generateKey({ window: 1 })], { alpha: 0.05 });
      test.readCompletion(cleanText(150, rng));
      if (test.result().log10PValue <= Math.log10(0.05)) rejected++;
    }
    // The binomial test is exact but discrete (size <= alpha): FPR must not exceed alpha.
    const ci = clopperPearson(rejected, trials, 0.999);
    expect(ci.lower).toBeLessThanOrEqual(0.05);
    expect(rejected).toBeGreaterThan(0);
  });

  it('gives uniform randomized control p-values (KS) and flags text watermarked with the key', () => {
    const rng = rngOf(12);
    const key = generateKey();
    const controls = Array.from({ length: 60 }, () => generateKey());
    const test = new ClosedModeTest([key], { controls, alpha: 1e-6 });
    for (let i = 0; i < 20; i++) test.readCompletion(watermarkedText(key, 100, rng));
    const r = test.result();
    expect(r.radioactive).toBe(true);
    expect(r.controls!.count).toBe(60);
    expect(r.controls!.ks.pValue).toBeGreaterThan(1e-3);
    expect(r.controls!.rejected).toBe(0);
    expect(r.nullHypothesis).toMatch(/independent of key K/);
  });

  it('scores each (window, token) tuple once over all completions', () => {
    const key = generateKey({ window: 2 });
    const test = new ClosedModeTest([key]);
    const text = cleanText(300, rngOf(3));
    test.readCompletion(text);
    const once = test.result().scored;
    test.readCompletion(text);
    expect(test.result().scored).toBe(once);
    expect(test.repeats).toBeGreaterThanOrEqual(298);
  });

  it('applies Holm over several tested keys and reports raw and adjusted p-values', () => {
    const rng = rngOf(5);
    const [a, b] = [generateKey(), generateKey()];
    const test = new ClosedModeTest([a, b]);
    test.readCompletion(watermarkedText(a, 300, rng));
    const r = test.result();
    expect(r.keys).toHaveLength(2);
    expect(r.keys[0]!.adjustedLog10PValue).toBeCloseTo(r.keys[0]!.log10PValue + Math.log10(2), 6);
    expect(r.log10PValue).toBe(r.keys[0]!.adjustedLog10PValue);
  });

  it('rejects controls with other parameters', () => {
    expect(() => new ClosedModeTest([generateKey({ window: 2 })], { controls: [generateKey({ window: 1 })] })).toThrow(/parameters/);
  });
});

describe('closed mode: prompt windows', () => {
  it('never scores windows of a watermarked prompt copied by a clean suspect', () => {
    const rng = rngOf(21);
    const key = generateKey({ window: 2 });
    const prompts = Array.from({ length: 30 }, () => watermarkedText(key, 80, rng));
    const run = (exclude: boolean) => {
      const test = new ClosedModeTest([key]);
      if (exclude) prompts.forEach((p) => test.excludePrompt(p));
      // The clean suspect repeats its prompt verbatim: every window and token is the prompt's.
      prompts.forEach((p) => test.readCompletion(p));
      return test;
    };
    expect(run(false).result().log10PValue).toBeLessThan(-6);
    const excluded = run(true);
    expect(excluded.result().scored).toBe(0);
    expect(excluded.promptExcluded).toBeGreaterThan(2000);
  });

  it('excludes a window of a later prompt only when it is registered first (all-prompts rule)', () => {
    const key = generateKey({ window: 1 });
    const completion = Uint32Array.of(5, 6, 7);
    const later = Uint32Array.of(6, 9);
    const onePass = new ClosedModeTest([key]);
    onePass.readCompletion(completion);
    onePass.excludePrompt(later);
    const twoPass = new ClosedModeTest([key]);
    twoPass.excludePrompt(later);
    twoPass.readCompletion(completion);
    expect(onePass.result().scored).toBe(2);
    expect(twoPass.result().scored).toBe(1); // window (6) is in a prompt: only 5 -> 6 scored
  });
});

describe('closed mode: filter', () => {
  it('scores exactly the positions whose window is in the filter', () => {
    const key = generateKey({ window: 2 });
    const filter = WindowSet.fromTexts([Uint32Array.of(1, 2, 3, 4)], 2); // windows (1,2), (2,3), (3,4)
    const test = new ClosedModeTest([key], { filter });
    test.readCompletion(Uint32Array.of(1, 2, 9, 2, 3, 8, 7, 7, 7));
    // Positions with windows (1,2) -> 9 and (2,3) -> 8 only.
    expect(test.result().scored).toBe(2);
    expect(test.filteredOut).toBe(5);
  });

  it('is fixed in advance and must match the key window', () => {
    const filter = WindowSet.fromTexts([Uint32Array.of(1, 2, 3)], 2);
    expect(() => filter.addText([4, 5])).toThrow(/frozen/);
    expect(() => new ClosedModeTest([generateKey({ window: 1 })], { filter })).toThrow(/h=2/);
  });

  it('keeps the true-key null when a clean suspect is filtered by watermarked windows', () => {
    // Filter from text watermarked with the key; the suspect's text is independent of it.
    const rng = rngOf(31);
    let rejected = 0;
    let exactRejected = 0;
    const trials = 150;
    for (let t = 0; t < trials; t++) {
      const key = generateKey({ window: 1 });
      const filter = WindowSet.fromTexts([watermarkedText(key, 200, rng)], 1);
      const test = new ClosedModeTest([key], { filter, alpha: 0.05 });
      test.readCompletion(cleanText(200, rng));
      const r = test.result();
      // With a filter the verdict rests on the proven (betting) p-value; the binomial is reported beside.
      expect(r.verdictBasis).toBe('proven');
      expect(r.radioactive).toBe(r.proven!.log10PValue <= Math.log10(0.05));
      expect(r.proven!.log10PValue).toBeGreaterThanOrEqual(r.log10PValue);
      if (r.radioactive) rejected++;
      if (r.log10PValue <= Math.log10(0.05)) exactRejected++;
    }
    expect(clopperPearson(rejected, trials, 0.999).lower).toBeLessThanOrEqual(0.05);
    expect(clopperPearson(exactRejected, trials, 0.999).lower).toBeLessThanOrEqual(0.05);
  });
});

it('GreenList and the tape agree on colours', () => {
  const key = generateKey({ window: 1 });
  const g = new GreenList(key);
  const text = cleanText(200, rngOf(9));
  const test = new ClosedModeTest([key]);
  test.readCompletion(text);
  const seen = new Set<string>();
  let green = 0;
  for (let i = 1; i < text.length; i++) {
    const id = `${text[i - 1]},${text[i]}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (g.isGreen(text.subarray(0, i), text[i]!)) green++;
  }
  expect(test.result().green).toBe(green);
  expect(test.result().scored).toBe(seen.size);
});
