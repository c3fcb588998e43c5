/** The distribution engine: allocation of a pool over usage, statements and the ledger anchor plan. */
export { aggregateUsage, bucketPoints, BucketStore, MATCH_METHODS, type UsageAggregates, type UsageSource, type UnmatchedBucket } from './aggregate';
export { anchorPlan, type AnchorPlan, type BatchPlan, type OpenDistributionPlan } from './anchor-plan';
export { computeDistribution, EngineError, type DistributionResult, type HolderResult, type RunTotals, type SuspenseBucket, type SuspenseLine } from './compute';
export { detectUsageFormat, detectWorksFormat, InputError, type UsageFormat, type WorksFormat } from './input-file';
export { distributionParametersSchema, resolveParameters, type DistributionParameters, type ResolvedParameters } from './parameters';
export { loadRepertoire, type EngineRepertoire } from './repertoire';
export { runDistribution, type RunInputs, type RunOptions, type RunOutcome } from './run';
