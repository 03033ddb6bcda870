// Public statistics API: exact tails in log space, multiple-testing corrections, null checks.
// Internal building blocks (Stirling error, deviance, continued fractions, unchecked hot-path
// variants) stay importable from their own files but are not part of the package surface.
export { log10BinomialTail } from './binomial-tail.js';
export { log10GammaTail } from './gamma-tail.js';
export { log10BinomialSumTail } from './binomial-sum-tail.js';
export { logBinomialPmf } from './binomial-pmf.js';
export { logPoissonPmf } from './poisson-pmf.js';
export { logGamma, logGamma1p } from './log-gamma.js';
export { log1mExp } from './log1m-exp.js';
export { logAddExp, logSumExp } from './log-sum-exp.js';
export { bonferroniLog10, sidakLog10, holmLog10 } from './multiple-testing.js';
export { ksUniformTest, type KsTestResult } from './uniformity.js';
export { kolmogorovSmirnovPValue } from './kolmogorov-distribution.js';
export { clopperPearson, type ProportionInterval } from './binomial-interval.js';
export { binomialZ } from './z-score.js';
export { randomizedBinomialPValue } from './randomized-p-value.js';
export { mixtureLog10PValue, LAMBDA_GRID } from './chernoff-mixture.js';
