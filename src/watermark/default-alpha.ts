// The default significance level lives with the other checks of test arguments (stats/validate).
export { DEFAULT_ALPHA } from '../stats/validate.js';
