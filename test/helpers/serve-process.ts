import { spawn, type ChildProcess } from 'node:child_process';

/** A `radiomark serve` child process started from source, and how to reach it. */
export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT/v1`. */
  baseURL: string;
  /** Everything printed on stdout and stderr so far. */
  output: () => { out: string; err: string };
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `radiomark serve ...args --port 0`, waiting (at most 60 s) for its `listening on` line. */
export async function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 60_000;
  while (!/listening on (\S+)\n/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`radiomark serve did not start: ${err.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /listening on (\S+)\n/.exec(out)![1]!;
  return { child, baseURL: `${url}/v1`, output: () => ({ out, err }), exited };
}

/** Runs the CLI from source without blocking the event loop (in-process servers keep answering). */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}
