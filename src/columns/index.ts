export { CrateArray, CrateArrayBuilder, type CrateArrayBuilderFor } from './array.js';
export { bigint, CrateBigint, CrateBigintBuilder, type BigintMode } from './bigint.js';
export { bit, CrateBit, CrateBitBuilder } from './bit.js';
export {
  CrateColumn,
  CrateColumnBuilder,
  type AnyCrateColumnBuilder,
  type Capable,
  type CrateCheck,
  type CrateColumnCapabilities,
  type CrateColumnIndex,
  type CrateColumnOptions,
} from './common.js';
export { CrateFloatVector, CrateFloatVectorBuilder, floatVector, MAX_VECTOR_DIMENSIONS } from './float-vector.js';
export { CrateGeoPoint, CrateGeoPointBuilder, geoPoint, parseGeoPoint, type GeoPoint, type GeoPointInput } from './geo-point.js';
export { checkGeoShape, CrateGeoShape, CrateGeoShapeBuilder, geoShape, type GeoJsonGeometry, type GeoShapeConfig, type GeoShapeIndex } from './geo-shape.js';
export { CrateNumeric, CrateNumericBuilder, numeric, type NumericMode } from './numeric.js';
export {
  CrateObject,
  CrateObjectBuilder,
  object,
  objectArray,
  type EffectivePolicy,
  type ObjectColumns,
  type ObjectConfig,
  type ObjectPolicy,
  type ObjectValue,
} from './object.js';
export { boolean, CrateNumberBuilder, CrateScalar, CrateScalarBuilder, doublePrecision, integer, ip, real, smallint } from './scalars.js';
export {
  crateSchema,
  crateTable,
  getCrateTableConfig,
  isCrateTable,
  type CrateColumnsMap,
  type CrateTableConfig,
  type CrateTableExtraConfigValue,
  type CrateTableWithColumns,
} from './table.js';
export {
  clusteredBy,
  ClusteredBy,
  CrateTableOption,
  fulltextIndex,
  FulltextIndex,
  partitionedBy,
  PartitionedBy,
  withOptions,
  WithOptions,
  type KnownTableSettings,
  type TableSettings,
  type TableSettingValue,
} from './table-options.js';
export { char, CrateStringBuilder, CrateText, CrateTextBuilder, text, varchar } from './text.js';
export { CrateTimestamp, CrateTimestampBuilder, timestamp, type TimestampMode } from './timestamp.js';
export * from './functions/index.js';
