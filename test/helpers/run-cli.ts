import { spawnSync } from 'node:child_process';

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
