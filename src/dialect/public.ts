/**
 * What both entry points export alike: errors, the schema model and its DDL text, table options, query helpers, bulk
 * results, and the HTTP driver.
 */
export * from '../driver/index.js';
export { type IteratorOptions } from './iterator.js';
export {
  CrateArgumentError,
  CrateConfigError,
  CrateDrizzleLineError,
  CrateError,
  CrateKitError,
  CrateMigrationError,
  CratePartialWriteError,
  CrateRuntimeError,
  CrateSchemaError,
  CrateUnsupportedError,
  CrateValueError,
  crateErrorOf,
  isCrateError,
  type CrateErrorCode,
  type SchemaPlace,
  type SchemaRule,
} from '../shared/errors.js';
export { literal, qualifiedName, quote } from '../shared/sql-text.js';
export type { Casing } from '../shared/casing.js';
export type { ColumnDefinition, ColumnIndex, ColumnType, ObjectPolicy, TableDefinition, TableSettingValue } from '../columns/definition.js';
export { columnDefinitionSql, createTableSql, dropTableSql, typeSql } from '../tables/ddl.js';
export { createViewSql, dropViewSql, type ViewDefinition } from '../tables/views.js';
export { crateMaterializedView } from './views.js';
export { MAX_VECTOR_DIMENSIONS, type BigintMode, type GeoJsonGeometry, type GeoPoint, type GeoPointInput, type NumericMode, type TimestampMode } from '../columns/values.js';
export type { GeoShapeConfig, GeoShapeIndex } from '../columns/builder-args.js';
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
  type ColumnRef,
  type KnownTableSettings,
  type TableSettings,
} from './table-options.js';
export * from './functions/index.js';
export { BatchError } from './batch.js';
export {
  BulkWriteError,
  DEFAULT_BULK_CHUNK,
  type BulkFailure,
  type BulkInsertOptions,
  type BulkOptions,
  type BulkProgress,
  type BulkWriteResult,
} from './bulk.js';
export { InsertRowCountError } from './insert-check.js';
export type { CopyFromFileResult, CopyFromOptions, CopyFromWithOptions, CopyToOptions, CopyToWithOptions } from './copy.js';
export type { CrateQueryResult } from './query-result.js';
export type { EffectivePolicy, ObjectValue } from '../columns/object-types.js';
