import { RadiomarkError } from '../base/errors.js';
import { resolveParams } from '../key/params.js';
import { tupleScoring } from '../schemes/tuple-scoring.js';
import { holmLog10 } from '../stats/index.js';
import type { EvidenceBundle } from './bundle.js';

type Json = Record<string, unknown>;

/**
 * Recomputes, from the counts stored in a bundle, every p-value, correction and verdict it
 * states (exact tails, Holm over the keys, proven betting p-values, control rejections) and
 * throws an `EVIDENCE` error naming the first number that differs. No key or input needed.
 *
 * @example
 * ```ts
 * checkConsistency(parseBundle(text)); // throws on an edited number
 * ```
 */
export function checkConsistency(bundle: EvidenceBundle): void {
  const params = bundle.keys.map((k, i) => {
    try {
      return resolveParams(k.params);
    } catch {
      throw new RadiomarkError('EVIDENCE', `format: keys[${i}].params are not valid key parameters`);
    }
  });
  const result = bundle.result as Json;
  if (bundle.command === 'radioactivity') checkRadioactivity(result, params, bundle.invocation);
  else if (bundle.command === 'detect') checkDetections(result, params[0]!);
}

function same(path: string, stored: unknown, recomputed: unknown, from: string): void {
  if (!Object.is(stored, recomputed)) {
    throw new RadiomarkError('EVIDENCE', `${path} is ${String(stored)} but ${from} gives ${String(recomputed)}`);
  }
}

function num(value: unknown, path: string): number {
  if (typeof value !== 'number') throw new RadiomarkError('EVIDENCE', `format: ${path} is not a number`);
  return value;
}

function checkRadioactivity(r: Json, params: ReturnType<typeof resolveParams>[], invocation: Json): void {
  if (r.mode !== 'closed') throw new RadiomarkError('EVIDENCE', 'format: result.mode must be "closed"');
  const keys = r.keys as Json[] | undefined;
  if (!Array.isArray(keys) || keys.length !== params.length)
    throw new RadiomarkError('EVIDENCE', 'format: result.keys does not list every tested key');
  const raws = keys.map((k, i) => {
    const scoring = tupleScoring(params[i]!);
    const [green, scored] = [num(k.green, `result.keys[${i}].green`), num(k.scored, `result.keys[${i}].scored`)];
    const from = `the stored counts (${green} of ${scored})`;
    same(`result.keys[${i}].log10PValue`, k.log10PValue, scoring.log10PValue(green, scored), from);
    same(`result.keys[${i}].z`, k.z, scoring.z(green, scored), from);
    same(`result.keys[${i}].bettingLog10PValue`, k.bettingLog10PValue, scoring.bettingLog10PValue(green, scored), from);
    return num(k.log10PValue, `result.keys[${i}].log10PValue`);
  });
  const adjusted = holmLog10(raws);
  keys.forEach((k, i) => same(`result.keys[${i}].adjustedLog10PValue`, k.adjustedLog10PValue, adjusted[i], 'Holm over the raw p-values'));
  same('result.log10PValue', r.log10PValue, Math.min(0, ...adjusted), 'the smallest adjusted p-value');
  same('result.scored', r.scored, keys[0]!.scored, 'result.keys[0]');
  same('result.green', r.green, keys[0]!.green, 'result.keys[0]');
  same('result.gamma', r.gamma, tupleScoring(params[0]!).gamma, 'the key parameters');
  same('result.alpha', r.alpha, invocation.alpha, 'invocation.alpha');
  same(
    'result.radioactive',
    r.radioactive,
    num(r.log10PValue, 'result.log10PValue') <= Math.log10(num(r.alpha, 'result.alpha')),
    'p <= alpha',
  );
  checkControls(r.controls as Json | undefined, num(r.alpha, 'result.alpha'), invocation.controls);
}

function checkControls(c: Json | undefined, alpha: number, count: unknown): void {
  if (count === 0 || c === undefined) {
    if (count !== 0 || c !== undefined)
      throw new RadiomarkError('EVIDENCE', `result.controls does not match invocation.controls (${String(count)})`);
    return;
  }
  const ps = c.log10PValues as number[];
  same('result.controls.count', c.count, count, 'invocation.controls');
  if (!Array.isArray(ps) || ps.length !== count)
    throw new RadiomarkError('EVIDENCE', 'result.controls.log10PValues does not hold one value per control');
  same('result.controls.rejected', c.rejected, ps.filter((p) => p <= Math.log10(alpha)).length, 'the control p-values');
}

function checkDetections(r: Json, params: ReturnType<typeof resolveParams>): void {
  const list = (Array.isArray(r.detections) ? r.detections : [r]) as Json[];
  const scoring = tupleScoring(params);
  list.forEach((d, i) => {
    const at = Array.isArray(r.detections) ? `result.detections[${i}]` : 'result';
    const [score, scored] = [num(d.score, `${at}.score`), num(d.scored, `${at}.scored`)];
    const from = `the stored counts (score ${score} over ${scored})`;
    same(`${at}.log10PValue`, d.log10PValue, scoring.log10PValue(score, scored), from);
    same(`${at}.z`, d.z, scoring.z(score, scored), from);
    same(`${at}.pValue`, d.pValue, 10 ** (d.log10PValue as number), `${at}.log10PValue`);
    same(`${at}.gamma`, d.gamma, scoring.gamma, 'the key parameters');
    same(`${at}.watermarked`, d.watermarked, (d.log10PValue as number) <= Math.log10(num(d.alpha, `${at}.alpha`)), 'p <= alpha');
  });
}
