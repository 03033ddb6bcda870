import type { GreenList } from '../schemes/green-list.js';
import type { WatermarkParams } from '../key/params.js';
import type { AccountSigner } from '../accounts/account-signer.js';
import { checkToken } from './inputs.js';

/**
 * Rejection sampling of the kgw-biased distribution from draws of the model's own: a draw
 * of weight e^(delta green + accountDelta marked) is kept with probability weight / max
 * weight, which samples p(v) e^(...) / Z exactly. Without a full window, the first draw.
 * `context` must be validated already.
 *
 * @example
 * ```ts
 * const token = sampleByRejection({ greenList, params, vocabSize, signer: null }, ctx, () => drawFromModel(), Math.random);
 * ```
 */
export function sampleByRejection(
  parts: { greenList: GreenList; params: WatermarkParams; vocabSize: number; signer: AccountSigner | null },
  context: ArrayLike<number>,
  draw: () => number,
  random: () => number,
): number {
  const { greenList, params, vocabSize, signer } = parts;
  if (!greenList.hasWindow(context)) return checkToken(draw(), vocabSize);
  if (signer) return rejectionWithAccount(parts, signer, context, draw, random);
  const keepRed = Math.exp(-params.delta);
  for (;;) {
    const token = checkToken(draw(), vocabSize);
    if (greenList.isGreen(context, token) || random() < keepRed) return token;
  }
}

// Target weight e^(delta green + accountDelta marked); a draw from p is kept with probability
// weight / max weight, which samples the biased distribution exactly.
function rejectionWithAccount(
  parts: { greenList: GreenList; params: WatermarkParams; vocabSize: number },
  account: AccountSigner,
  ctx: ArrayLike<number>,
  draw: () => number,
  random: () => number,
): number {
  const { greenList, params, vocabSize } = parts;
  for (;;) {
    const token = checkToken(draw(), vocabSize);
    const missing = (greenList.isGreen(ctx, token) ? 0 : params.delta) + (account.isMarked(ctx, token) ? 0 : account.delta);
    if (missing === 0 || random() < Math.exp(-missing)) return token;
  }
}
