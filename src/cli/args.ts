import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

/** Options every verb accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `argv` strictly; unknown options become a UsageError naming the verb. A negative
 * number after a string option is its value (`--account -1` reads as `--account=-1`), so the
 * option's own check says what is wrong with it.
 */
export function parseVerbArgs<O extends Options>(verb: string, argv: string[], options: O) {
  const all = { ...COMMON_OPTIONS, ...options };
  try {
    return parseArgs({ args: joinNegativeValues(argv, all), options: all, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${describeParseError(e)} (see radiomark ${verb} --help)`);
  }
}

// Node refuses any value starting with "-" as "ambiguous"; numbers are never option names.
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

// Node's messages run over several lines; the first one loses the hint on dashed values.
function describeParseError(e: unknown): string {
  const { code, message } = e as { code?: string; message: string };
  const option = /Option '(--?[\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option && message.includes('ambiguous')) {
    return `${option} needs a value (a value starting with "-" is written ${option}=VALUE)`;
  }
  return message.split('\n')[0]!;
}

/** Parses a number option, with a clear error naming the flag. */
export function numberOption(name: string, value: string | undefined, check: (x: number) => boolean = Number.isFinite): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !check(x)) throw new UsageError(`--${name}: invalid value "${value}"`);
  return x;
}

/** Parses an integer option in min..max; a value outside is a UsageError stating the range. */
export function integerOption(name: string, value: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const x = numberOption(name, value, (v) => Number.isInteger(v));
  if (x !== undefined && (x < min || x > max)) {
    throw new UsageError(`--${name}: ${value} is out of range (${min}..${max.toLocaleString('en-US')})`);
  }
  return x;
}

/** The most wrong-key controls a report may ask for (each one scores every token again). */
export const MAX_CONTROLS = 1000;

/** Refuses arguments a verb does not take (a typo would otherwise be silently ignored). */
export function noPositionals(verb: string, positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see radiomark ${verb} --help)`);
}

/** Requires an option to be present. */
export function required<T>(name: string, value: T | undefined, verb: string): T {
  if (value === undefined) throw new UsageError(`--${name} is required (see radiomark ${verb} --help)`);
  return value;
}
