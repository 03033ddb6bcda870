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
    // The decoder's own H0 mean (tuples x 1/4), labelled apart from the tally table's random-codeword mean.
    `  tuples ${d.tuples}, codeword score ${d.score} (H0 mean: tuples x 1/4 = ${fixed(d.expected)}); ` +
      (d.certified ? 'proven maximum-likelihood id' : `search stopped at the budget (${d.tried} ids tried)`),
  );
  // The best id is printed when not significant only with a warning: it is no evidence.
  if (!d.significant) lines.push(`  best candidate ${d.candidate} is NOT significant: do not act on it`);
  return lines.join('\n');
}

/**
 * Human table of per-account tests: the significant and the top-ranked candidates. The tally
 * method's H0 mean is the same for every account (the random-codeword mean, given the tally):
 * printed once above the table; the ledger method's depends on each account's tuples: a column.
 */
export function formatAttribution(r: AttributionReport): string {
  const ledger = r.method === 'ledger';
  const lines = [
    `per-account tests (${r.method} method): ${r.significant} of ${r.candidates} candidate(s) significant at alpha ${r.alpha} (Holm over ${r.candidates})`,
    `  ${r.nullHypothesis}`,
    ...(ledger ? ledgerNotes(r.tuples) : [`  tuples ${r.tuples}${tallyMean(r.expectedScore)}`]),
  ];
  if (r.accounts.length === 0) return lines.join('\n');
  const columns = ledger ? LEDGER_COLUMNS : TALLY_COLUMNS;
  const row = (cells: string[]) => cells.map((c, i) => c.padStart(columns[i]![1])).join('  ');
  lines.push(`  ${row(columns.map(([name]) => name))}`);
  r.accounts.forEach((a, i) => {
    const counts = ledger ? [String(a.scored ?? 0), String(a.score), fixed(a.expected)] : [String(a.score)];
    const pValues = [fixed(a.log10PValue), fixed(a.adjustedLog10PValue), formatLog10P(a.adjustedLog10PValue)];
    lines.push(`${a.significant ? '* ' : '  '}${row([String(i + 1), String(a.account), ...counts, ...pValues])}`);
  });
  lines.push(`  (* significant at alpha ${r.alpha}; ${r.accounts.length} of ${r.candidates} shown, most significant first)`);
  return lines.join('\n');
}

// The ledger method's one assumption that can accuse an innocent, and what its columns mean.
function ledgerNotes(tuples: number): string[] {
  return [
    "  the account ledger must hold every account's outputs: a window missing from it can make an innocent account look guilty",
    `  ${tuples} suspect tuples at windows exclusive to one candidate; score = green + digit-set hits, H0 mean = tuples x (gamma + 1/4)`,
  ];
}

function tallyMean(mean: number | null): string {
  return mean === null ? '' : `; random-codeword mean score ${fixed(mean)} (H0 mean of every candidate's score, given the tally)`;
}

// Column names and widths; "score" is the codeword score (tally) or green + digit-set hits (ledger).
const TALLY_COLUMNS: [string, number][] = [
  ['rank', 5],
  ['account', 10],
  ['score', 7],
  ['log10 p', 8],
  ['Holm log10 p', 12],
  ['Holm p', 9],
];
const LEDGER_COLUMNS: [string, number][] = [
  ['rank', 5],
  ['account', 10],
  ['tuples', 7],
  ['score', 7],
  ['H0 mean', 8],
  ['log10 p', 8],
  ['Holm log10 p', 12],
  ['Holm p', 9],
];

function fixed(x: number): string {
  // -0.00 reads as a sign error: print 0.00.
  const s = x.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
