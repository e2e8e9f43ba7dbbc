export { bigint, CrateBigint, CrateBigintBuilder, type BigintMode } from './bigint.js';
export { bit, CrateBit, CrateBitBuilder } from './bit.js';
export { byte } from './byte.js';
export {
  CrateArray,
  CrateArrayBuilder,
  CrateColumn,
  CrateColumnBuilder,
  CrateScalar,
  type AnyCrateColumnBuilder,
  type Capable,
  type CrateArrayBuilderFor,
  type CrateCheck,
  type CrateColumnIndex,
} from './common.js';
export { CrateFloatVector, CrateFloatVectorBuilder, floatVector, MAX_VECTOR_DIMENSIONS } from './float-vector.js';
export { CrateGeoPoint, CrateGeoPointBuilder, geoPoint } from './geo-point.js';
export { CrateGeoShape, CrateGeoShapeBuilder, geoShape } from './geo-shape.js';
export { CrateNumeric, CrateNumericBuilder, numeric, type NumericConfig, type NumericMode } from './numeric.js';
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
export { boolean, CrateNumberBuilder, CrateScalarBuilder, doublePrecision, integer, ip, real, smallint } from './scalars.js';
export {
  crateSchema,
  crateTable,
  describeTable,
  getCrateTableConfig,
  isCrateTable,
  type CrateColumnsMap,
  type CrateTableConfig,
  type CrateTableExtraConfigValue,
  type CrateTableWithColumns,
} from './table.js';
export { char, CrateStringBuilder, CrateText, CrateTextBuilder, text, varchar } from './text.js';
export { CrateUuid, CrateUuidBuilder, uuid } from './uuid.js';
export { CrateTimestamp, CrateTimestampBuilder, timestamp, type TimestampConfig, type TimestampMode } from './timestamp.js';
