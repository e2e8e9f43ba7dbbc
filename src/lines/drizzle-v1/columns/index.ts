export { bigint, CrateBigintBuilder } from './bigint.js';
export { bit, CrateBitBuilder } from './bit.js';
export { byte } from './byte.js';
export { CrateColumn, CrateColumnBuilder, type Capable } from './common.js';
export { CrateFloatVectorBuilder, floatVector } from './float-vector.js';
export { CrateGeoPointBuilder, CrateGeoShapeBuilder, geoPoint, geoShape } from './geo.js';
export { CrateNumericBuilder, numeric } from './numeric.js';
export { CrateObjectBuilder, object, objectArray, type ObjectColumns, type ObjectConfig } from './object.js';
export { boolean, CrateNumberBuilder, CrateScalarBuilder, doublePrecision, integer, ip, real, smallint } from './scalars.js';
export {
  camelCase,
  crateSchema,
  crateTable,
  describeTable,
  getCrateTableConfig,
  isCrateTable,
  snakeCase,
  type CrateColumnsMap,
  type CrateTableConfig,
  type CrateTableExtraConfigValue,
  type CrateTableWithColumns,
} from './table.js';
export { char, CrateStringBuilder, CrateTextBuilder, text, varchar } from './text.js';
export { CrateUuidBuilder, uuid } from './uuid.js';
export { CrateTimestampBuilder, timestamp, type TimestampOptions } from './timestamp.js';
