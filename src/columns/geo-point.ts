import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CrateColumnCapabilities } from './common.js';

const CAPABILITIES: CrateColumnCapabilities = { indexOff: false, columnstore: false, fulltext: false, primaryKey: false, default: true };

/** A point as CrateDB returns it: `[longitude, latitude]`. */
export type GeoPoint = [lon: number, lat: number];
/** What a geo point column accepts: `[lon, lat]`, a GeoJSON Point, or WKT `POINT (lon lat)`. */
export type GeoPointInput = GeoPoint | readonly [number, number] | { type: 'Point'; coordinates: readonly [number, number] } | string;

export type CrateGeoPointBuilderInitial<TName extends string> = CrateGeoPointBuilder<{
  name: TName;
  dataType: 'array';
  columnType: 'CrateGeoPoint';
  data: GeoPoint;
  driverParam: GeoPoint;
  enumValues: undefined;
}>;

export class CrateGeoPointBuilder<T extends ColumnBuilderBaseConfig<'array', 'CrateGeoPoint'>> extends CrateColumnBuilder<T> {
  static override readonly [entityKind]: string = 'CrateGeoPointBuilder';
  declare readonly [crateCapabilities]: {};

  constructor(name: T['name']) {
    super(name, 'array', 'CrateGeoPoint');
  }

  protected override get capabilities(): CrateColumnCapabilities {
    return CAPABILITIES;
  }

  /** @internal */
  build(table: AnyPgTable): CrateGeoPoint<ColumnBaseConfig<'array', 'CrateGeoPoint'>> {
    return new CrateGeoPoint(table, this.config);
  }
}

const WKT_POINT = /^\s*POINT\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$/i;

export class CrateGeoPoint<T extends ColumnBaseConfig<'array', 'CrateGeoPoint'>> extends CrateColumn<T> {
  static override readonly [entityKind]: string = 'CrateGeoPoint';

  getSQLType(): string {
    return 'GEO_POINT';
  }

  override get mapsIdentically(): boolean {
    return false;
  }

  /** Normalises any accepted form to `[lon, lat]` and refuses coordinates CrateDB would reject. */
  override mapToDriverValue(value: unknown): GeoPoint {
    return parseGeoPoint(value, this.describe());
  }
}

/** Parses a point in any accepted form; `where` names the column in errors. */
export function parseGeoPoint(value: unknown, where: string): GeoPoint {
  let lon: unknown;
  let lat: unknown;
  if (Array.isArray(value) && value.length === 2) {
    [lon, lat] = value;
  } else if (typeof value === 'string') {
    const match = WKT_POINT.exec(value);
    if (!match) throw new TypeError(`${where}: '${value}' is not WKT of the form 'POINT (lon lat)'`);
    lon = Number(match[1]);
    lat = Number(match[2]);
  } else if (isGeoJsonPoint(value)) {
    [lon, lat] = value.coordinates;
  } else {
    throw new TypeError(`${where}: expected [lon, lat], a GeoJSON Point or 'POINT (lon lat)', got ${JSON.stringify(value)}`);
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new RangeError(`${where}: longitude ${String(lon)} is outside [-180, 180]`);
  }
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new RangeError(`${where}: latitude ${String(lat)} is outside [-90, 90]`);
  }
  return [lon, lat];
}

function isGeoJsonPoint(value: unknown): value is { type: 'Point'; coordinates: [unknown, unknown] } {
  if (typeof value !== 'object' || value === null) return false;
  const { type, coordinates } = value as { type?: unknown; coordinates?: unknown };
  return type === 'Point' && Array.isArray(coordinates) && coordinates.length === 2;
}

/** `GEO_POINT`: returned as `[lon, lat]`; accepts `[lon, lat]`, GeoJSON Points and WKT. */
export function geoPoint(): CrateGeoPointBuilderInitial<''>;
export function geoPoint<TName extends string>(name: TName): CrateGeoPointBuilderInitial<TName>;
export function geoPoint(name = ''): CrateGeoPointBuilderInitial<any> {
  return new CrateGeoPointBuilder(name);
}
