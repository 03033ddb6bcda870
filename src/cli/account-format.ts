import type { AccountDecoding } from '../accounts/decode-account.js';
import type { AttributionReport } from '../accounts/attribute-accounts.js';
import { formatLog10P } from './format.js';

/**
 * Human summary of a decoded account id (states its null hypotheses once); `source` names
 * what was decoded, e.g. "the text" or "the suspect outputs (dominant account)".
 */
export function formatDecoding(d: AccountDecoding, keyId: string, source = 'the text'): string {
  const lines = [
    d.significant
      ? `account ${d.account} decoded from ${source} at alpha ${d.alpha} (key ${keyId})`
      : `no significant account id in ${source} at alpha ${d.alpha} (key ${keyId})`,
    `  ${d.nullHypothesis}`,
  ];
  if (d.tuples === 0 || d.candidate === null) {
    lines.push('  nothing to decode: no tuple was scored (text too short, or all in prompt windows)');
    return lines.join('\n');
  }
  lines.push(
    `  p = ${formatLog10P(d.log10PValue)} (log10 p = ${fixed(d.log10PValue)}): ` +
      `H0 log10 p ${fixed(d.log10PValueAnyId)} (over 2^32 ids), H0' log10 p ${fixed(d.log10PValueThisId)} (over ${d.tried} ids tried)`,
    `  tuples ${d.tuples}, codeword score ${d.score} (expected ${fixed(d.expected)} for a random id); ` +
      (d.certified ? 'proven maximum-likelihood id' : `search stopped at the budget (${d.tried} ids tried)`),
  );
  // The best id is printed when not significant only with a warning: it is no evidence.
  if (!d.significant) lines.push(`  best candidate ${d.candidate} is NOT significant: do not act on it`);
  return lines.join('\n');
}

/** Human table of per-account tests: the significant and the top-ranked candidates. */
export function formatAttribution(r: AttributionReport): string {
  const lines = [
    `per-account tests (${r.method} method): ${r.significant} of ${r.candidates} candidate(s) significant at alpha ${r.alpha} (Holm over ${r.candidates})`,
    `  ${r.nullHypothesis}`,
    r.expectedScore === null
      ? `  tuples ${r.tuples}`
      : `  tuples ${r.tuples}; a random account's codeword scores ${fixed(r.expectedScore)} on average`,
  ];
  if (r.accounts.length === 0) return lines.join('\n');
  const header = ['rank', 'account', 'score', 'expected', 'log10 p', 'Holm log10 p', 'Holm p'];
  const widths = [5, 10, 7, 9, 8, 12, 9];
  const row = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  lines.push(`  ${row(header)}`);
  r.accounts.forEach((a, i) => {
    const cells = [String(i + 1), String(a.account), String(a.score), fixed(a.expected), fixed(a.log10PValue), fixed(a.adjustedLog10PValue)];
    lines.push(`${a.significant ? '* ' : '  '}${row([...cells, formatLog10P(a.adjustedLog10PValue)])}`);
  });
  lines.push(`  (* significant at alpha ${r.alpha}; ${r.accounts.length} of ${r.candidates} shown, most significant first)`);
  return lines.join('\n');
}

function fixed(x: number): string {
  // -0.00 reads as a sign error: print 0.00.
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
