import type { DetectionResult } from '../detect/detection-result.js';
import type { WatermarkParams } from '../key/params.js';

/** `1.2e-30`-style rendering of a log10 p-value, exact even below the double range. */
export function formatLog10P(log10p: number): string {
  if (log10p > -4) return (10 ** log10p).toPrecision(3);
  const exponent = Math.floor(log10p);
  const mantissa = 10 ** (log10p - exponent);
  return `${mantissa.toFixed(2)}e${exponent}`;
}

/** One-line description of public key parameters. */
export function describeParams(p: WatermarkParams): string {
  const scheme =
    p.scheme === 'kgw' ? `kgw, gamma ${p.gamma}, delta ${p.delta}` : p.scheme === 'synthid' ? `synthid, ${p.layers} layers` : 'gumbel';
  return `${scheme}, ${p.seeding} h=${p.window}, ${p.tokenizer}`;
}

/** Multi-line human summary of a detection. */
export function formatDetection(r: DetectionResult, label?: string): string {
  const share = r.scored === 0 ? 0 : (100 * r.green) / r.scored;
  const counts =
    r.scheme === 'kgw'
      ? `green ${r.green} (${share.toFixed(1)}%, ${(100 * r.gamma).toFixed(1)}% expected under H0)`
      : `score ${r.score.toFixed(2)} (${r.scheme})`;
  const lines = [
    `${label ? `${label}: ` : ''}${r.watermarked ? 'WATERMARKED' : 'not watermarked'} at alpha ${r.alpha} (key ${r.keyId})`,
    `  tokens ${r.tokens}, scored ${r.scored} (de-dup: ${r.dedup}), ${counts}`,
    `  p = ${formatLog10P(r.log10PValue)} (log10 p = ${r.log10PValue.toFixed(2)}), z = ${r.z.toFixed(2)} (display only)`,
  ];
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
