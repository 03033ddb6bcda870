/**
 * Upper tail of the standard normal, P[Z >= z], to about 1e-7 relative accuracy (erfc by
 * the Chebyshev fit of W. J. Cody's form as tabulated in Numerical Recipes, 1.2e-7). Used
 * only for calibration diagnostics of wrong-key controls, never for a verdict.
 *
 * @example
 * ```ts
 * normalUpperTail(1.6448536); // ~0.05
 * ```
 */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7).
 *
 * @example
 * ```ts
 * erfc(1); // 0.1573
 * ```
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
