import type { DetectionResult, SpanDetectionResult } from '../../src/core.js';

/**
 * The page elements a verdict is written into.
 *
 * @example
 * ```ts
 * const el: VerdictElements = { verdict: $('verdict'), numbers: $('numbers'), warnings: $('warnings') };
 * ```
 */
export interface VerdictElements {
  verdict: HTMLElement;
  numbers: HTMLElement;
  warnings: HTMLElement;
}

/**
 * Writes the verdict line, the numbers (exact log10 p-value, counts) and the warnings of a
 * detection result.
 *
 * @example
 * ```ts
 * renderVerdict({ verdict, numbers, warnings }, watermark.detectSpan(text, { details: true }));
 * ```
 */
export function renderVerdict(el: VerdictElements, result: DetectionResult | SpanDetectionResult): void {
  const p = formatP(result.log10PValue);
  el.verdict.className = `verdict ${result.watermarked ? 'positive' : 'negative'}`;
  el.verdict.textContent = result.watermarked
    ? `Watermarked: p = ${p} ≤ α = ${result.alpha}`
    : `Not watermarked with this key: p = ${p} > α = ${result.alpha}`;

  const rows: [string, string][] = [
    ['log10 p-value', result.log10PValue.toFixed(2)],
    ['p-value', p],
    ['tokens read', String(result.tokens)],
    ['tuples scored', String(result.scored)],
    [
      'green',
      `${result.green} (${result.scored ? ((100 * result.green) / result.scored).toFixed(1) : '0'}%, expected ${(100 * result.gamma).toFixed(1)}% without the watermark)`,
    ],
    ['z (display only)', Number.isFinite(result.z) ? result.z.toFixed(2) : '–'],
    ['repeated n-grams', `${result.dedup}${result.exact ? ' (exact test)' : ' (not exact)'}`],
    ['key', result.keyId],
  ];
  if ('span' in result && result.span.scored > 0) {
    const s = result.span;
    rows.push([
      'most marked span',
      `tokens ${s.start}–${s.end}: log10 p = ${s.log10PValue.toFixed(2)} (corrected for ${s.windowsScanned} spans)`,
    ]);
  }
  rows.push(['null hypothesis', result.nullHypothesis]);
  el.numbers.replaceChildren(
    ...rows.flatMap(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  el.warnings.replaceChildren(
    ...result.warnings.map((w) => {
      const li = document.createElement('li');
      li.textContent = w;
      return li;
    }),
  );
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/**
 * A p-value for people: plain above 1e-4, else mantissa × 10 to a power, from the exact
 * log10 (so that p-values far below the smallest double still print).
 *
 * @example
 * ```ts
 * formatP(-65.377); // '4.20 × 10⁻⁶⁶'
 * ```
 */
export function formatP(log10p: number): string {
  if (log10p > -4) return Number(10 ** log10p).toPrecision(3);
  let exponent = Math.floor(log10p);
  let mantissa = (10 ** (log10p - exponent)).toFixed(2);
  if (mantissa === '10.00') [mantissa, exponent] = ['1.00', exponent + 1];
  return `${mantissa} × 10${Array.from(String(exponent), (c) => SUPERSCRIPT[c]).join('')}`;
}
