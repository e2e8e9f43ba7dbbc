/**
 * The arguments of column builder factories, checked the same way on both Drizzle lines: lengths, dimensions,
 * precision, policies, geo index options. A bad argument fails at once, naming the builder and the argument.
 */
import { CrateSchemaError } from '../shared/errors.js';
import type { ColumnIndex, ObjectPolicy } from './definition.js';
import { MAX_VECTOR_DIMENSIONS, type BigintMode, type NumericMode, type TimestampMode } from './values.js';

/** `(name, config)` or `(config)`: the two call forms of every factory. */
export function nameAndConfig<TConfig>(a: string | TConfig | undefined, b: TConfig | undefined): [string, TConfig | undefined] {
  return typeof a === 'string' ? [a, b] : ['', a];
}

function argumentError(builder: string, name: string, message: string): CrateSchemaError {
  return new CrateSchemaError({ column: name || undefined, option: `${builder}()` }, 'column-builder', message);
}

export type TextKind = 'text' | 'varchar' | 'char';

export function textTypeName(kind: TextKind, length: number | undefined): string {
  return kind === 'text' ? 'TEXT' : `${kind === 'varchar' ? 'VARCHAR' : 'CHARACTER'}(${length})`;
}

export function positiveLength(builder: string, name: string, length: number | undefined): number {
  if (length === undefined || !Number.isInteger(length) || length < 1) {
    throw argumentError(builder, name, `length must be a positive integer, got ${String(length)}`);
  }
  return length;
}

export function vectorDimensions(name: string, dimensions: number | undefined): number {
  if (dimensions === undefined || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_VECTOR_DIMENSIONS) {
    throw argumentError('floatVector', name, `dimensions must be an integer between 1 and ${MAX_VECTOR_DIMENSIONS}, got ${String(dimensions)}`);
  }
  return dimensions;
}

export interface NumericArgs {
  precision: number;
  scale?: number;
  mode?: NumericMode;
}

export function numericArgs(name: string, config: Partial<NumericArgs> | undefined): { precision: number; scale: number | undefined; mode: NumericMode } {
  const { precision, scale, mode = 'number' } = config ?? {};
  if (precision === undefined || !Number.isInteger(precision) || precision < 1) {
    throw argumentError('numeric', name, 'CrateDB needs a positive integer precision in CREATE TABLE');
  }
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 0 || scale > precision)) {
    throw argumentError('numeric', name, 'scale must be an integer between 0 and the precision');
  }
  if (mode !== 'number' && mode !== 'string') throw argumentError('numeric', name, `mode must be 'number' or 'string', got '${String(mode)}'`);
  return { precision, scale, mode };
}

export function numericTypeName(precision: number, scale: number | undefined): string {
  return scale === undefined ? `NUMERIC(${precision})` : `NUMERIC(${precision}, ${scale})`;
}

export function timestampArgs(name: string, config: { withTimezone?: boolean; mode?: TimestampMode } | undefined): { withTimezone: boolean; mode: TimestampMode } {
  const mode = config?.mode ?? 'date';
  if (mode !== 'date' && mode !== 'string' && mode !== 'number') {
    throw argumentError('timestamp', name, `mode must be 'date', 'string' or 'number', got '${String(mode)}'`);
  }
  return { withTimezone: config?.withTimezone ?? false, mode };
}

export function timestampTypeName(withTimezone: boolean): string {
  return withTimezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
}

export function bigintMode(name: string, config: { mode?: BigintMode } | undefined): BigintMode {
  const mode = config?.mode ?? 'number';
  if (mode !== 'number' && mode !== 'bigint') throw argumentError('bigint', name, `mode must be 'number' or 'bigint', got '${String(mode)}'`);
  return mode;
}

export function objectPolicy(builder: string, name: string, policy: ObjectPolicy | undefined, hasColumns: boolean): ObjectPolicy {
  const resolved = policy ?? (hasColumns ? 'strict' : 'dynamic');
  if (!['dynamic', 'strict', 'ignored'].includes(resolved)) {
    throw argumentError(builder, name, `policy must be 'dynamic', 'strict' or 'ignored', got '${String(resolved)}'`);
  }
  return resolved;
}

export type GeoShapeIndex = 'geohash' | 'quadtree' | 'bkdtree';

export interface GeoShapeConfig {
  /** Index type; CrateDB's default is `geohash`. */
  index?: GeoShapeIndex;
  /** Index precision with a unit, e.g. `'1m'`, `'50m'`, `'1km'` (geohash and quadtree). */
  precision?: string;
  /** Allowed error as a fraction, at most 0.5 (geohash and quadtree). */
  distanceErrorPct?: number;
}

const PRECISION = /^\d+(\.\d+)?(in|inch|yd|yard|mi|miles|km|kilometers|m|meters|cm|centimeters|mm|millimeters)$/;

/**
 * The geo-shape index a config asks for, or undefined for CrateDB's default. Problems with its options are reported
 * when the table is built, where the table and column are known.
 */
export function geoShapeIndex(config: GeoShapeConfig, problem: (message: string) => void): ColumnIndex | undefined {
  const { index, precision, distanceErrorPct } = config;
  if (index !== undefined && !['geohash', 'quadtree', 'bkdtree'].includes(index)) {
    problem(`geo index must be 'geohash', 'quadtree' or 'bkdtree', got '${String(index)}'`);
  }
  if (index === 'bkdtree' && (precision !== undefined || distanceErrorPct !== undefined)) {
    problem('the bkdtree geo index takes no precision or distanceErrorPct; they apply to geohash and quadtree');
  }
  if (precision !== undefined && !PRECISION.test(precision)) {
    problem(`geo index precision '${precision}' needs a number and a unit, e.g. '1m', '50m' or '2km'`);
  }
  if (distanceErrorPct !== undefined && !(distanceErrorPct >= 0 && distanceErrorPct <= 0.5)) {
    problem(`geo index distanceErrorPct ${distanceErrorPct} must be between 0 and 0.5`);
  }
  if (index === undefined && precision === undefined && distanceErrorPct === undefined) return undefined;
  return { method: index ?? 'geohash', precision, distanceErrorPct };
}
