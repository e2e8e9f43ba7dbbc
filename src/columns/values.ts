/**
 * Values of CrateDB column types: what is sent for a JavaScript value (refusing what CrateDB would store differently
 * from what was given) and what a column returns for the value the transport decoded.
 *
 * Ownership of conversions, on both Drizzle lines:
 * - the transport turns wire values into JavaScript by CrateDB's `col_types` (epoch milliseconds → Date, integers
 *   beyond 2^53 → bigint), because only it knows the types of every result column, expressions included;
 * - a column's codec only narrows that to the column's declared mode (a Date to an ISO string, a bigint to a number),
 *   and encodes values the transport cannot judge (a fraction for an INTEGER, a point outside the globe).
 * Drizzle v1's codecs are left empty, so nothing is converted twice.
 */
import { CrateValueError } from '../shared/errors.js';
import { describeValueType } from '../shared/sql-text.js';
import type { ObjectPolicy } from './definition.js';

/** Names the column (or sub-column) a value belongs to, for errors; called only when one is raised. */
export type Where = () => string;

/** A JavaScript mode of a timestamp column. */
export type TimestampMode = 'date' | 'string' | 'number';
export type BigintMode = 'number' | 'bigint';
export type NumericMode = 'number' | 'string';

/** What the codec of a column needs to know about its type. */
export type ValueSpec =
  /** `maxLength` for VARCHAR(n) and CHARACTER(n): longer values are refused by CrateDB, trailing spaces aside. */
  | { readonly kind: 'text'; readonly maxLength?: number | undefined }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'integer'; readonly bits: 8 | 16 | 32 }
  | { readonly kind: 'uuid' }
  | { readonly kind: 'bigint'; readonly mode: BigintMode }
  | { readonly kind: 'float'; readonly bits: 32 | 64 }
  | { readonly kind: 'numeric'; readonly mode: NumericMode; readonly precision: number; readonly scale: number | undefined }
  | { readonly kind: 'timestamp'; readonly mode: TimestampMode; readonly withTimezone: boolean }
  | { readonly kind: 'bit'; readonly length: number }
  | { readonly kind: 'geo_point' }
  | { readonly kind: 'geo_shape' }
  | { readonly kind: 'float_vector'; readonly dimensions: number }
  | {
      readonly kind: 'object';
      readonly policy: ObjectPolicy;
      /**
       * Declared sub-columns by their TypeScript key, each with its name in the document, and whether a value must
       * be given (NOT NULL without a DEFAULT).
       */
      readonly columns: Readonly<Record<string, { readonly name: string; readonly spec: ValueSpec; readonly required?: boolean }>>;
    }
  | { readonly kind: 'array'; readonly element: ValueSpec };

export interface ValueCodec {
  /** `encode` returns its input for every value: containers and senders may skip it. */
  readonly encodesIdentically: boolean;
  /** `decode` returns its input for every value: row mappers skip it. */
  readonly decodesIdentically: boolean;
  /** A JavaScript value (never null) → what is sent. Throws {@link CrateValueError} for values CrateDB would alter. */
  encode(value: unknown, where: Where): unknown;
  /** A value the transport decoded (never null) → the column's JavaScript value. */
  decode(value: unknown, where: Where): unknown;
}

const pass = (value: unknown): unknown => value;
const IDENTITY: ValueCodec = { encodesIdentically: true, decodesIdentically: true, encode: pass, decode: pass };

/** CrateDB's BIGINT accepts -(2^63 - 1) .. 2^63 - 2 (both ends of Java's long are refused, measured on 6.4.3). */
export const BIGINT_MIN = -(2n ** 63n - 1n);
export const BIGINT_MAX = 2n ** 63n - 2n;
const INTEGER_RANGE: Readonly<Record<8 | 16 | 32, readonly [number, number]>> = {
  8: [-128, 127],
  16: [-32_768, 32_767],
  32: [-2_147_483_648, 2_147_483_647],
};
const INTEGER_TYPE: Readonly<Record<8 | 16 | 32, string>> = { 8: 'BYTE', 16: 'SMALLINT', 32: 'INTEGER' };
const FLOAT32_MAX = 3.4028234663852886e38;
/** The range of a JavaScript Date: a timestamp beyond it would be stored, then read back as an Invalid Date. */
export const MAX_TIMESTAMP_MILLIS = 8.64e15;
/** CrateDB's limit for FLOAT_VECTOR dimensions. */
export const MAX_VECTOR_DIMENSIONS = 2048;

export function codecFor(spec: ValueSpec): ValueCodec {
  switch (spec.kind) {
    case 'text':
      return spec.maxLength === undefined ? IDENTITY : textCodec(spec.maxLength);
    case 'boolean':
      return IDENTITY;
    case 'integer':
      return integerCodec(spec.bits);
    case 'uuid':
      return UUID_CODEC;
    case 'bigint':
      return bigintCodec(spec.mode);
    case 'float':
      return floatCodec(spec.bits);
    case 'numeric':
      return numericCodec(spec);
    case 'timestamp':
      return timestampCodec(spec.mode, spec.withTimezone);
    case 'bit':
      return bitCodec(spec.length);
    case 'geo_point':
      return { encodesIdentically: false, decodesIdentically: true, encode: (value, where) => parseGeoPoint(value, where), decode: pass };
    case 'geo_shape':
      return { encodesIdentically: false, decodesIdentically: true, encode: (value, where) => checkGeoShape(value, where), decode: pass };
    case 'float_vector':
      return vectorCodec(spec.dimensions);
    case 'object':
      return objectCodec(spec);
    case 'array':
      return arrayCodec(codecFor(spec.element));
  }
}

function refuse(where: Where, message: string): never {
  throw new CrateValueError(where(), message);
}

/**
 * What is wrong with a value for a spec, as the codec would refuse it, or undefined when it would be stored as given.
 * Validators (`drizzle-cratedb/v1/zod`, ...) check values with it, so they and the writes agree.
 */
export function valueProblem(spec: ValueSpec, where: Where): (value: unknown) => string | undefined {
  const codec = codecFor(spec);
  return (value) => {
    if (value === null || value === undefined) return undefined;
    try {
      codec.encode(value, where);
      return undefined;
    } catch (error) {
      if (error instanceof CrateValueError) return error.message;
      throw error;
    }
  };
}

/**
 * A number column given something else, as code that types a value `any` or fills a placeholder can. CrateDB would
 * convert a numeric string silently ('12' → 12, '1.5' → 1 in INTEGER) and refuse any other with a 4000 that names
 * neither the column nor the value, so the codec refuses both, as it refuses 1.5 for an INTEGER.
 */
function refuseNonNumber(value: unknown, where: Where, type: string, expected: string, convert: string): never {
  const given = typeof value === 'string' ? `the string '${value.slice(0, 40)}${value.length > 40 ? '…' : ''}'` : describeValueType(value);
  return refuse(where, `${type} takes ${expected}, got ${given}; convert it with ${convert} before writing or comparing`);
}

function textCodec(maxLength: number): ValueCodec {
  return {
    encodesIdentically: false,
    decodesIdentically: true,
    encode(value, where) {
      // CrateDB cuts trailing spaces to fit; anything else longer is refused.
      if (typeof value === 'string' && value.length > maxLength && value.trimEnd().length > maxLength) {
        refuse(where, `'${value.slice(0, 40)}…' is ${value.length} characters long; the column takes at most ${maxLength}`);
      }
      return value;
    },
    decode: pass,
  };
}

function integerCodec(bits: 8 | 16 | 32): ValueCodec {
  const [min, max] = INTEGER_RANGE[bits];
  const type = INTEGER_TYPE[bits];
  return {
    encodesIdentically: false,
    decodesIdentically: true,
    encode(value, where) {
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) refuse(where, `${value} is not a whole number; CrateDB would store it as ${Math.trunc(value)} in ${type}`);
        if (value < min || value > max) refuse(where, `${value} is outside ${type}'s range ${min}..${max}`);
      } else if (typeof value === 'bigint') {
        if (value < BigInt(min) || value > BigInt(max)) refuse(where, `${value} is outside ${type}'s range ${min}..${max}`);
      } else {
        refuseNonNumber(value, where, type, 'a number', 'Number()');
      }
      return value;
    },
    decode: pass,
  };
}

function bigintCodec(mode: BigintMode): ValueCodec {
  return {
    encodesIdentically: false,
    decodesIdentically: false,
    encode(value, where) {
      if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) {
          refuse(where, `${value} is not an exact integer; pass a bigint for values beyond 2^53 (and only whole numbers)`);
        }
      } else if (typeof value === 'bigint') {
        if (value < BIGINT_MIN || value > BIGINT_MAX) refuse(where, `${value} is outside the range CrateDB's BIGINT accepts (${BIGINT_MIN}..${BIGINT_MAX})`);
      } else {
        refuseNonNumber(value, where, 'BIGINT', 'a number or a bigint', mode === 'bigint' ? 'BigInt()' : 'Number() (or BigInt() beyond 2^53)');
      }
      return value;
    },
    decode(value, where) {
      if (mode === 'bigint') return typeof value === 'bigint' ? value : BigInt(value as number | string);
      if (typeof value === 'number') return value;
      const exact = BigInt(value as bigint | string);
      if (exact > BigInt(Number.MAX_SAFE_INTEGER) || exact < BigInt(Number.MIN_SAFE_INTEGER)) {
        refuse(where, `${exact} is beyond Number.MAX_SAFE_INTEGER and would be rounded; declare the column with { mode: 'bigint' }`);
      }
      return Number(exact);
    },
  };
}

function floatCodec(bits: 32 | 64): ValueCodec {
  const type = bits === 32 ? 'REAL' : 'DOUBLE PRECISION';
  return {
    encodesIdentically: false,
    decodesIdentically: true,
    encode(value, where) {
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) refuse(where, `${value} cannot be stored: JSON has no ${value}, and CrateDB would store NULL`);
        if (bits === 32 && Math.abs(value) > FLOAT32_MAX) refuse(where, `${value} is beyond the range of ${type} (±${FLOAT32_MAX})`);
      } else if (typeof value !== 'bigint') {
        refuseNonNumber(value, where, type, 'a number', 'Number()');
      }
      return value;
    },
    decode: pass,
  };
}

const DECIMAL = /^[+-]?(\d+)(?:\.(\d*))?(?:[eE][+-]?\d+)?$|^[+-]?\.(\d+)$/;

function numericCodec(spec: Extract<ValueSpec, { kind: 'numeric' }>): ValueCodec {
  const { mode, precision, scale = 0 } = spec;
  const type = `NUMERIC(${precision}${spec.scale === undefined ? '' : `, ${spec.scale}`})`;
  return {
    encodesIdentically: false,
    decodesIdentically: false,
    encode(value, where) {
      let text: string;
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) refuse(where, `${value} cannot be stored in ${type}`);
        text = String(value);
      } else if (typeof value === 'string') {
        if (!DECIMAL.test(value.trim())) refuse(where, `'${value.slice(0, 40)}' is not a decimal number`);
        text = value.trim();
      } else if (typeof value === 'bigint') {
        text = value.toString();
      } else {
        return refuse(where, `expected a number, a bigint or a decimal string, got ${describeValueType(value)}`);
      }
      if (!/e/i.test(text)) {
        const [whole = '', fraction = ''] = text.replace(/^[+-]/, '').split('.');
        if (fraction.replace(/0+$/, '').length > scale) {
          refuse(where, `${text} has more than ${scale} decimal place${scale === 1 ? '' : 's'}; ${type} would round it`);
        }
        if (whole.replace(/^0+/, '').length > precision - scale) refuse(where, `${text} has too many digits for ${type}`);
      }
      return mode === 'string' && typeof value === 'string' ? text : value;
    },
    decode: mode === 'string' ? (value) => String(value) : (value) => (typeof value === 'number' ? value : Number(value)),
  };
}

function timestampCodec(mode: TimestampMode, withTimezone: boolean): ValueCodec {
  const checkRange = (millis: number, where: Where, shown: unknown) => {
    if (Math.abs(millis) > MAX_TIMESTAMP_MILLIS) {
      refuse(where, `${String(shown)} is beyond the range of a JavaScript Date; it would be stored but read back as an invalid Date`);
    }
  };
  return {
    encodesIdentically: false,
    decodesIdentically: false,
    encode(value, where) {
      if (value instanceof Date) {
        const millis = value.getTime();
        if (Number.isNaN(millis)) refuse(where, 'got an invalid Date');
        return millis;
      }
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) refuse(where, `${value} is not a whole number of milliseconds`);
        checkRange(value, where, value);
        return value;
      }
      if (typeof value === 'string') {
        const millis = Date.parse(value);
        // Text JavaScript cannot parse is left to CrateDB, which refuses what it cannot parse either.
        if (!Number.isNaN(millis)) checkRange(millis, where, `'${value}'`);
        return value;
      }
      return refuse(where, `expected a Date, an ISO string or epoch milliseconds, got ${describeValueType(value)}`);
    },
    decode(value) {
      const millis = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(String(value));
      switch (mode) {
        case 'number':
          return millis;
        case 'string': {
          const iso = new Date(millis).toISOString();
          // Without a time zone the value is a wall-clock time that CrateDB treats as UTC: no `Z`.
          return withTimezone ? iso : iso.slice(0, -1);
        }
        default:
          return value instanceof Date ? value : new Date(millis);
      }
    },
  };
}

/** The only UUID text this package sends: 8-4-4-4-12 hex digits, any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * CrateDB parses UUID text with Java's lenient `UUID.fromString`: `'1-2-3-4-5'` is stored as
 * `00000001-0002-…`, and a longer group is silently cut (`'123456789-…'` → `23456789-…`). So anything but the
 * canonical form is refused here. Values go lowercase, as the server returns them, so what is written reads back equal.
 */
const UUID_CODEC: ValueCodec = {
  encodesIdentically: false,
  decodesIdentically: true,
  encode(value, where) {
    if (typeof value !== 'string') return refuse(where, `UUID takes a string of the form 8-4-4-4-12 hex digits, got ${describeValueType(value)}`);
    if (!UUID_PATTERN.test(value)) {
      refuse(where, `'${value.slice(0, 48)}' is not a UUID of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (CrateDB would read it leniently and could store a different UUID)`);
    }
    return value.toLowerCase();
  },
  decode: pass,
};

const BITS = /^[01]*$/;

function bitCodec(length: number): ValueCodec {
  return {
    encodesIdentically: false,
    decodesIdentically: false,
    encode(value, where) {
      const bits = String(value);
      if (!BITS.test(bits) || bits.length !== length) refuse(where, `expected ${length} characters of 0 and 1, got '${bits.slice(0, 80)}'`);
      return bits;
    },
    // CrateDB sends bit strings as B'0101'.
    decode(value) {
      const text = String(value);
      return text.startsWith("B'") && text.endsWith("'") ? text.slice(2, -1) : text;
    },
  };
}

function vectorCodec(dimensions: number): ValueCodec {
  return {
    encodesIdentically: false,
    decodesIdentically: true,
    encode(value, where) {
      if (!Array.isArray(value) || value.length !== dimensions) {
        refuse(where, `expected ${dimensions} numbers, got ${Array.isArray(value) ? `${value.length} values` : describeValueType(value)}`);
      }
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        if (typeof element !== 'number' || !Number.isFinite(element) || Math.abs(element) > FLOAT32_MAX) {
          refuse(where, `element ${i} is ${String(element)}, not a finite float32 number`);
        }
      }
      return value;
    },
    decode: pass,
  };
}

function arrayCodec(element: ValueCodec): ValueCodec {
  if (element.encodesIdentically && element.decodesIdentically) return IDENTITY;
  return {
    encodesIdentically: element.encodesIdentically,
    decodesIdentically: element.decodesIdentically,
    encode(value, where) {
      if (!Array.isArray(value)) refuse(where, `expected an array, got ${describeValueType(value)}`);
      if (element.encodesIdentically) return value;
      return value.map((item, i) => (item === null || item === undefined ? null : element.encode(item, () => `${where()}[${i}]`)));
    },
    decode(value, where) {
      if (element.decodesIdentically || !Array.isArray(value)) return value;
      return value.map((item) => (item === null ? null : element.decode(item, where)));
    },
  };
}

function objectCodec(spec: Extract<ValueSpec, { kind: 'object' }>): ValueCodec {
  const members = Object.entries(spec.columns).map(([key, { name, spec: memberSpec }]) => ({ key, name, codec: codecFor(memberSpec) }));
  const renamed = members.some((member) => member.key !== member.name);
  const strict = spec.policy === 'strict';
  const keys = new Set(members.map((member) => member.key));
  const encodesIdentically = !strict && !renamed && members.every((member) => member.codec.encodesIdentically);
  const decodesIdentically = !renamed && members.every((member) => member.codec.decodesIdentically);
  return {
    encodesIdentically,
    decodesIdentically,
    encode(value, where) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        refuse(where, `expected an object, got ${describeValueType(value)}`);
      }
      const source = value as Record<string, unknown>;
      if (strict) {
        for (const key of Object.keys(source)) {
          if (!keys.has(key)) {
            refuse(where, `'${key}' is not a declared sub-column of this OBJECT(STRICT) (declared: ${[...keys].join(', ') || 'none'})`);
          }
        }
      }
      if (encodesIdentically) return value;
      const result: Record<string, unknown> = { ...source };
      for (const { key, name, codec } of members) {
        if (!(key in source)) continue;
        if (key !== name) delete result[key];
        const item = source[key];
        result[name] = item === null || item === undefined ? item : codec.encode(item, () => `${where()}['${name}']`);
      }
      return result;
    },
    decode(value, where) {
      if (decodesIdentically || typeof value !== 'object' || value === null) return value;
      const source = value as Record<string, unknown>;
      const result: Record<string, unknown> = { ...source };
      for (const { key, name, codec } of members) {
        if (!(name in source)) continue;
        if (key !== name) delete result[name];
        const item = source[name];
        result[key] = item === null ? null : codec.decode(item, where);
      }
      return result;
    },
  };
}

/** A point as CrateDB returns it: `[longitude, latitude]`. */
export type GeoPoint = [lon: number, lat: number];
/** What a geo point column accepts: `[lon, lat]`, a GeoJSON Point, or WKT `POINT (lon lat)`. */
export type GeoPointInput = GeoPoint | readonly [number, number] | { type: 'Point'; coordinates: readonly [number, number] } | string;

const WKT_POINT = /^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$/i;

/** Parses a point in any accepted form and refuses coordinates CrateDB would reject. */
export function parseGeoPoint(value: unknown, where: Where): GeoPoint {
  let lon: unknown;
  let lat: unknown;
  if (Array.isArray(value) && value.length === 2) {
    [lon, lat] = value;
  } else if (typeof value === 'string') {
    const match = WKT_POINT.exec(value);
    if (!match) refuse(where, `'${value.slice(0, 80)}' is not WKT of the form 'POINT (lon lat)'`);
    lon = Number(match[1]);
    lat = Number(match[2]);
  } else if (isGeoJsonPoint(value)) {
    [lon, lat] = value.coordinates;
  } else {
    refuse(where, `expected [lon, lat], a GeoJSON Point or 'POINT (lon lat)', got ${JSON.stringify(value)?.slice(0, 80) ?? describeValueType(value)}`);
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) refuse(where, `longitude ${String(lon)} is outside [-180, 180]`);
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) refuse(where, `latitude ${String(lat)} is outside [-90, 90]`);
  return [lon, lat];
}

function isGeoJsonPoint(value: unknown): value is { type: 'Point'; coordinates: [unknown, unknown] } {
  if (typeof value !== 'object' || value === null) return false;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  return type === 'Point' && Array.isArray(coordinates) && coordinates.length === 2;
}

type Position = number[];
/** GeoJSON geometries, as CrateDB stores and returns them. */
export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: GeoJsonGeometry[] };

const GEOJSON_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);
const WKT_SHAPE = /^\s*(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON|GEOMETRYCOLLECTION|ENVELOPE)\s*(\(|EMPTY)/i;

/** GeoJSON objects and WKT strings go as they are, once they look like what CrateDB parses. */
export function checkGeoShape(value: unknown, where: Where): GeoJsonGeometry | string {
  if (typeof value === 'string') {
    if (!WKT_SHAPE.test(value)) refuse(where, `'${value.slice(0, 60)}' is not a WKT geometry`);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const { type, coordinates, geometries } = value as { type?: unknown; coordinates?: unknown; geometries?: unknown };
    const ok =
      typeof type === 'string' &&
      GEOJSON_TYPES.has(type) &&
      (type === 'GeometryCollection' ? Array.isArray(geometries) : Array.isArray(coordinates));
    if (ok) return value as GeoJsonGeometry;
  }
  return refuse(where, `expected a GeoJSON geometry or a WKT string, got ${JSON.stringify(value)?.slice(0, 80) ?? describeValueType(value)}`);
}
