// Exact distribution of the two-sided Kolmogorov-Smirnov statistic, after Marsaglia, Tsang
// and Wang (2003), "Evaluating Kolmogorov's distribution", J. Stat. Softw. 8(18): P(D_n < d)
// is the centre element of the n-th power of an m x m matrix (m = 2 ceil(n d) - 1), times
// n!/n^n. Cost O(m^3 log n): cheap for the small n it is used for.

const SCALE = 1e140;
const SCALE_EXPONENT = 140;

interface ScaledMatrix {
  values: Float64Array; // row-major m x m
  exponent: number; // true matrix = values * 10^exponent
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return out;
}

/** Keeps the centre element below 1e140 so that high powers cannot overflow. */
function rescale(matrix: ScaledMatrix, centre: number): ScaledMatrix {
  if (matrix.values[centre]! <= SCALE) return matrix;
  const values = matrix.values.map((v) => v / SCALE);
  return { values, exponent: matrix.exponent + SCALE_EXPONENT };
}

function power(base: Float64Array, n: number, m: number, centre: number): ScaledMatrix {
  if (n === 1) return { values: base, exponent: 0 };
  const half = power(base, Math.floor(n / 2), m, centre);
  let result: ScaledMatrix = {
    values: multiply(half.values, half.values, m),
    exponent: 2 * half.exponent,
  };
  if (n % 2 === 1) result = { values: multiply(base, result.values, m), exponent: result.exponent };
  return rescale(result, centre);
}

/** The matrix H of Marsaglia-Tsang-Wang for D_n < d, with k = floor(n d) + 1, h = k - n d. */
function buildMatrix(k: number, h: number, m: number): Float64Array {
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = i - j + 1 >= 0 ? 1 : 0;
  for (let i = 0; i < m; i++) {
    H[i * m]! -= h ** (i + 1);
    H[(m - 1) * m + i]! -= h ** (m - i);
  }
  H[(m - 1) * m]! += 2 * h - 1 > 0 ? (2 * h - 1) ** m : 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      // Divide by (i - j + 1)! below the first superdiagonal.
      for (let g = 1; g <= i - j + 1; g++) H[i * m + j]! /= g;
    }
  }
  return H;
}

/**
 * P(D_n < d) for the two-sided one-sample Kolmogorov-Smirnov statistic under a continuous
 * null, exactly (about 1e-14 absolute). Intended for n up to a few hundred; `d` must lie in
 * (0, 1). Internal: see {@link kolmogorovSmirnovPValue}.
 */
export function kolmogorovCdfExact(n: number, d: number): number {
  const nd = n * d;
  const k = Math.floor(nd) + 1;
  const m = 2 * k - 1;
  const h = k - nd;
  const centre = (k - 1) * m + (k - 1);
  const q = power(buildMatrix(k, h, m), n, m, centre);
  let s = q.values[centre]!;
  let exponent = q.exponent;
  // Multiply by n!/n^n one factor at a time, rescaling to stay in range.
  for (let i = 1; i <= n; i++) {
    s = (s * i) / n;
    if (s < 1 / SCALE) {
      s *= SCALE;
      exponent -= SCALE_EXPONENT;
    }
  }
  return s * 10 ** exponent;
}
