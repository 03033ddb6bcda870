// Fault-test writer (test/node/kill-during-write.test.ts): rewrites a key (as keygen --force
// does), adds to an account ledger (as ledger add does) and rewrites a 1 MB report, all in
// tight concurrent loops, until killed. Prints "ready" once each file exists.
import { ledger } from '../../src/cli/commands/ledger.js';
import { generateKey } from '../../src/key/key.js';
import { writeFileAtomic } from '../../src/node/atomic-write.js';
import { saveKey } from '../../src/node/key-store.js';

const [dir, input] = process.argv.slice(2) as [string, string];
const report = (n: number) => `<!doctype html><title>radiomark demo report</title>${String(n % 10).repeat(1 << 20)}</html>`;

async function keys(): Promise<never> {
  for (;;) await saveKey(generateKey(), `${dir}/provider.key`, { overwrite: true });
}
async function ledgers(): Promise<never> {
  for (let n = 0; ; n++) await ledger(['add', '--owners', `${dir}/owners.rmowners`, '--account', String(n), input], () => undefined);
}
async function reports(): Promise<never> {
  for (let n = 0; ; n++) await writeFileAtomic(`${dir}/report.html`, report(n), { private: true });
}

await saveKey(generateKey(), `${dir}/provider.key`, { overwrite: true });
await ledger(['add', '--owners', `${dir}/owners.rmowners`, '--account', '0', input], () => undefined);
await writeFileAtomic(`${dir}/report.html`, report(0), { private: true });
process.stdout.write('ready\n');
await Promise.all([keys(), ledgers(), reports()]);
