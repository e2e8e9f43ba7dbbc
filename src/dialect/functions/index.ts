export { avg, geometricMean, percentile, stddev, sum, variance } from './aggregates.js';
export { arrayAll, arrayAny, arrayContained, arrayContains, arrayLength, arrayOverlaps, type AnyOperator } from './array.js';
export { match, score, type MatchOptions, type MatchTarget, type MatchType } from './fulltext.js';
export { distance, geoMatch, intersects, within, type GeoRelation } from './geo.js';
export {
  hybridSearch,
  type HybridFusion,
  type HybridHit,
  type HybridSearchOptions,
  type HybridSearchQuery,
  type HybridTextSide,
  type HybridVectorSide,
} from './hybrid-search.js';
export { objectKey, objectPatch, ObjectPatch, type ObjectKeys, type ValueAt, type ValueOf } from './object.js';
export { excluded, systemColumns, unchangedSince, type RowVersion, type SystemColumns } from './system.js';
export { knnMatch, vectorSimilarity } from './vector.js';
