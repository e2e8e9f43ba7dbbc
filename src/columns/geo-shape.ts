import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CrateColumnCapabilities } from './common.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: false, columnstore: false, fulltext: false, primaryKey: false, default: true };

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

export type GeoShapeIndex = 'geohash' | 'quadtree' | 'bkdtree';

export interface GeoShapeConfig {
  /** Index type; CrateDB's default is `geohash`. */
  index?: GeoShapeIndex;
  /** Index precision with a unit, e.g. `'1m'`, `'50m'`, `'1km'` (geohash and quadtree). */
  precision?: string;
  /** Allowed error as a fraction, at most 0.5 (geohash and quadtree). */
  distanceErrorPct?: number;
}

export type CrateGeoShapeBuilderInitial<TName extends string> = CrateGeoShapeBuilder<{
  name: TName;
  dataType: 'json';
  columnType: 'CrateGeoShape';
  data: GeoJsonGeometry;
  driverParam: GeoJsonGeometry | string;
  enumValues: undefined;
}>;

const PRECISION = /^\d+(\.\d+)?(in|inch|yd|yard|mi|miles|km|kilometers|m|meters|cm|centimeters|mm|millimeters)$/;

export class CrateGeoShapeBuilder<T extends ColumnBuilderBaseConfig<'json', 'CrateGeoShape'>> extends CrateColumnBuilder<T> {
  static override readonly [entityKind]: string = 'CrateGeoShapeBuilder';
  declare readonly [crateCapabilities]: {};

  constructor(name: T['name'], config: GeoShapeConfig) {
    super(name, 'json', 'CrateGeoShape');
    const { index, precision, distanceErrorPct } = config;
    if (index === 'bkdtree' && (precision !== undefined || distanceErrorPct !== undefined)) {
      this.problem('the bkdtree geo index takes no precision or distanceErrorPct; they apply to geohash and quadtree');
    }
    if (precision !== undefined && !PRECISION.test(precision)) {
      this.problem(`geo index precision '${precision}' needs a number and a unit, e.g. '1m', '50m' or '2km'`);
    }
    if (distanceErrorPct !== undefined && !(distanceErrorPct >= 0 && distanceErrorPct <= 0.5)) {
      this.problem(`geo index distanceErrorPct ${distanceErrorPct} must be between 0 and 0.5`);
    }
    if (index !== undefined || precision !== undefined || distanceErrorPct !== undefined) {
      this.config.crate.index = { method: index ?? 'geohash', precision, distanceErrorPct };
    }
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** @internal */
  build(table: AnyPgTable): CrateGeoShape<ColumnBaseConfig<'json', 'CrateGeoShape'>> {
    return new CrateGeoShape(table, this.config);
  }
}

const GEOJSON_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);
const WKT_SHAPE = /^\s*(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON|GEOMETRYCOLLECTION|ENVELOPE)\s*(\(|EMPTY)/i;

export class CrateGeoShape<T extends ColumnBaseConfig<'json', 'CrateGeoShape'>> extends CrateColumn<T> {
  static override readonly [entityKind]: string = 'CrateGeoShape';

  getSQLType(): string {
    return 'GEO_SHAPE';
  }

  override get mapsIdentically(): boolean {
    return false;
  }

  /** GeoJSON objects and WKT strings go as they are, once they look like what CrateDB parses. */
  override mapToDriverValue(value: unknown): GeoJsonGeometry | string {
    return checkGeoShape(value, this.describe());
  }
}

export function checkGeoShape(value: unknown, where: string): GeoJsonGeometry | string {
  if (typeof value === 'string') {
    if (!WKT_SHAPE.test(value)) throw new TypeError(`${where}: '${value.slice(0, 60)}' is not a WKT geometry`);
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
  throw new TypeError(`${where}: expected a GeoJSON geometry or a WKT string, got ${JSON.stringify(value)?.slice(0, 80)}`);
}

/** `GEO_SHAPE [INDEX USING geohash|quadtree|bkdtree WITH (precision, distance_error_pct)]`: returned as GeoJSON. */
export function geoShape(config?: GeoShapeConfig): CrateGeoShapeBuilderInitial<''>;
export function geoShape<TName extends string>(name: TName, config?: GeoShapeConfig): CrateGeoShapeBuilderInitial<TName>;
export function geoShape(a?: string | GeoShapeConfig, b?: GeoShapeConfig): CrateGeoShapeBuilderInitial<any> {
  const [name, config] = typeof a === 'string' ? [a, b] : ['', a];
  return new CrateGeoShapeBuilder(name, config ?? {});
}
