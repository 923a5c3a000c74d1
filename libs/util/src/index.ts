export { mulberry32 } from './random';
export { JSON_LIMITS, jsonLimitMessage, jsonLimitViolation } from './json-limits';
export type { JsonLimitViolation } from './json-limits';
