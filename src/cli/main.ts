import { describeFsError } from '../node/fs-errors.js';
import { isUserError } from './usage-error.js';
import { packageVersion } from './version.js';
import { detect, DETECT_HELP } from './commands/detect.js';
import { demo, DEMO_HELP } from './commands/demo.js';
import { generate, GENERATE_HELP } from './commands/generate.js';
import { keygen, KEYGEN_HELP } from './commands/keygen.js';
import { radioactivity, RADIOACTIVITY_HELP } from './commands/radioactivity.js';
import { ledger, LEDGER_HELP } from './commands/ledger.js';
import { attribute, ATTRIBUTE_HELP } from './commands/attribute.js';
import { serve, SERVE_HELP } from './commands/serve.js';
import { probe, PROBE_HELP } from './commands/probe.js';
import { commit, COMMIT_HELP } from './commands/commit.js';
import { verify, VERIFY_HELP } from './commands/verify.js';

type Command = (argv: string[], out: (s: string) => void) => Promise<void>;

const COMMANDS: Record<string, { run: Command; help: string; summary: string }> = {
  keygen: { run: keygen, help: KEYGEN_HELP, summary: 'create a secret key file (mode 0600)' },
  generate: { run: generate, help: GENERATE_HELP, summary: 'stream watermarked text from the embedded model' },
  detect: { run: detect, help: DETECT_HELP, summary: 'test text for a watermark (exact p-value)' },
  demo: { run: demo, help: DEMO_HELP, summary: 'the main job: train, watermark, detect, report' },
  radioactivity: {
    run: radioactivity,
    help: RADIOACTIVITY_HELP,
    summary: 'test a suspect model for distillation (exact p-value, controls)',
  },
  ledger: { run: ledger, help: LEDGER_HELP, summary: 'record emitted windows in a mergeable Bloom-filter ledger' },
  commit: { run: commit, help: COMMIT_HELP, summary: 'print the public commitment to a key (publish it before testing)' },
  verify: { run: verify, help: VERIFY_HELP, summary: 'check an evidence bundle (signature, numbers; with the key: reproduce it)' },
  attribute: { run: attribute, help: ATTRIBUTE_HELP, summary: 'find the account behind a text or a suspect model (exact p-values)' },
  probe: { run: probe, help: PROBE_HELP, summary: "collect a suspect API's answers (OpenAI format) for radioactivity" },
  serve: { run: serve, help: SERVE_HELP, summary: 'OpenAI-compatible server: watermarked answers per account, durable ledger' },
};

const USAGE = 'Usage: radiomark <command> [options]     (radiomark --help, radiomark --version)';

const HELP = `radiomark: watermark language-model output, detect it, and test models for distillation.

Usage: radiomark <command> [options]     (radiomark <command> --help for details)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`)
  .join('\n')}

  --version      print the version

Exit codes: 0 the command ran (whatever the verdict), 2 bad usage or input, 1 internal error.`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (s: string) => void process.stdout.write(`${s}\n`);
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    // Not a request for help: the usage goes to stderr, with exit code 2.
    process.stderr.write(`${USAGE}\n${HELP.slice(HELP.indexOf('Commands:'))}\n`);
    return 2;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    out(HELP);
    return 0;
  }
  if (verb === '--version' || verb === '-V' || verb === 'version') {
    out(`radiomark ${packageVersion()}`);
    return 0;
  }
  const command = COMMANDS[verb];
  if (!command) {
    process.stderr.write(`radiomark: unknown command "${printable(verb)}" (see radiomark --help)\n`);
    return 2;
  }
  try {
    await command.run(rest, out);
    return 0;
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`radiomark ${verb}: ${printable(error.message)}\n`);
      return 2;
    }
    process.stderr.write(`radiomark ${verb}: internal error: ${printable((error as Error)?.message ?? String(error))}\n`);
    if (process.env.RADIOMARK_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    return 1;
  }
}

// Messages can quote input files: control characters (terminal escapes, newlines) are shown
// as \xNN so that an error stays one harmless line.
function printable(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// A closed pipe (`radiomark detect ... | head`) is not an error worth a stack trace; any other
// failure to write standard output (a full disk, /dev/full) is one line and exit code 2.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  const why = e.code === 'ENOSPC' ? 'no space left on device' : describeFsError(e);
  process.stderr.write(`radiomark: cannot write standard output: ${why}\n`);
  process.exit(2);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
