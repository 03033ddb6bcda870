import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

/** Options every verb accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** Parses `argv` strictly; unknown options become a UsageError naming the verb. */
export function parseVerbArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  verb: string,
  argv: string[],
  options: O,
) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see radiomark ${verb} --help)`);
  }
}

/** Parses a number option, with a clear error naming the flag. */
export function numberOption(
  name: string,
  value: string | undefined,
  check: (x: number) => boolean = Number.isFinite,
): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !check(x)) throw new UsageError(`--${name}: invalid value "${value}"`);
  return x;
}

/** Parses an integer option. */
export function integerOption(name: string, value: string | undefined, min = 0): number | undefined {
  return numberOption(name, value, (x) => Number.isInteger(x) && x >= min);
}

/** Requires an option to be present. */
export function required<T>(name: string, value: T | undefined, verb: string): T {
  if (value === undefined) throw new UsageError(`--${name} is required (see radiomark ${verb} --help)`);
  return value;
}
