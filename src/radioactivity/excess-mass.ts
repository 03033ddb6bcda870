import type { ReferenceModel } from './reference-model.js';

/**
 * The coefficients of the excess-mass reading score: c(v) = max(0, q(v) - r(v)) for each of
 * the suspect's top-k tokens v, where q is the suspect's and r the reference model's
 * next-token probability. The position's score is sum_v c(v) [v green].
 *
 * Why: a student that learned watermarked text puts extra mass on the green tokens of the
 * windows it saw, *beyond* what a clean model predicts; mass that both models give (the
 * language's own structure, e.g. "of" -> "the") carries no key-specific signal, only
 * variance, and the subtraction removes it. Validity: c is a function of the context and of
 * two models fixed before reading and independent of the key, so it is predictable and the
 * Chernoff-mixture bound holds exactly as for the plain green mass (docs/RADIOACTIVITY.md).
 *
 * @example
 * ```ts
 * const excess = new ExcessMass(referenceFromModel(teacher), 32);
 * excess.coefficients(context, tokens, probs, n, coefs); // coefs[i] = max(0, probs[i] - r(tokens[i]))
 * ```
 */
export class ExcessMass {
  private readonly refProbs: Float64Array;

  constructor(
    private readonly reference: ReferenceModel,
    maxTokens: number,
  ) {
    this.refProbs = new Float64Array(maxTokens);
  }

  /** Writes c(v) = max(0, probs[i] - r(tokens[i] | context)) into out[i] for i < count. */
  coefficients(context: ArrayLike<number>, tokens: Uint32Array, probs: Float64Array, count: number, out: Float64Array): void {
    this.reference.probabilities(context, tokens, count, this.refProbs);
    for (let i = 0; i < count; i++) out[i] = Math.max(0, probs[i]! - this.refProbs[i]!);
  }
}
