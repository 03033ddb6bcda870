import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** Runs the CLI from source (as `radiomark ...args`) and returns its exit code and output. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    input: options.input ?? '',
    env: { ...process.env, ...options.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Asserts the CLI's bad-input contract: exit code 2, one line on stderr matching `pattern`, no stack trace. */
export function expectOneLineError(r: { code: number | null; err: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}
