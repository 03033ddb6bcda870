// `radiomark/ledger`: what a provider records of its outputs, for closed-mode filters and
// per-account attribution (browser-safe: bytes in, bytes out; files are written by node/).
export { EmissionLedger, type LedgerInfo, type LedgerOptions } from './emission-ledger.js';
export { AccountLedger, ACCOUNT_LEDGER_MAGIC, ACCOUNT_LEDGER_VERSION, type AccountLedgerInfo } from './account-ledger.js';
export { BloomFilter, bloomFalsePositiveRate } from './bloom-filter.js';
