import type { LedgerFile } from '../node/ledger-files.js';

/** What each kind of ledger is called in messages. */
export const LEDGER_KIND_NAME = { emission: 'emission ledger', account: 'account ledger' } as const;

/**
 * The `ledger info` description of a ledger file: two human lines, or one JSON object with
 * a `kind` field ("emission" or "account") beside the ledger's own info.
 */
export function formatLedgerInfo(file: LedgerFile, json: boolean): string {
  if (json) return JSON.stringify({ kind: file.kind, ...file.ledger.info() });
  if (file.kind === 'account') {
    const info = file.ledger.info();
    const share = info.windows === 0 ? 0 : (100 * info.exclusive) / info.windows;
    return [
      `account ledger v${info.version}: window h=${info.window}, ${info.tokenizer}, ${info.windows} distinct windows (${megabytes(info.bytes)} MB)`,
      `  ${info.exclusive} exclusive to one account (${share.toFixed(1)}%), ${info.windows - info.exclusive} received by several (credited to none)`,
    ].join('\n');
  }
  const info = file.ledger.info();
  return [
    `ledger v${info.version}: window h=${info.window}, ${info.tokenizer}, ${info.bits} bits (${megabytes(info.bytes)} MB), k=${info.hashes}`,
    `  ~${info.estimatedWindows} distinct windows (fill ${(100 * info.fill).toFixed(2)}%), false-positive rate ${info.falsePositiveRate.toExponential(2)}`,
  ].join('\n');
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}
