/** GEO_POINT and GEO_SHAPE. */
import { entityKind } from 'drizzle-orm';
import type { GeoJsonGeometry, GeoPoint } from '../../../columns/values.js';
import { geoShapeIndex, nameAndConfig, type GeoShapeConfig } from '../../../columns/builder-args.js';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { ColumnShape } from '../../../dialect/column-model.js';
import { CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape } from './common.js';

/** `GEO_POINT`: returned as `[lon, lat]`; given as `[lon, lat]`, a GeoJSON Point or WKT, checked to lie on the globe. */
export class CrateGeoPointBuilder extends CrateColumnBuilder<{ dataType: 'array point'; data: GeoPoint; driverParam: GeoPoint }> {
  static override readonly [entityKind]: string = 'CrateGeoPointBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'GEO_POINT'>;

  constructor(name: string) {
    super(name, 'array point', 'CrateGeoPoint');
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape('GEO_POINT', { kind: 'geo_point' });
  }
}

/** `GEO_POINT`: returned as `[lon, lat]`; accepts `[lon, lat]`, GeoJSON Points and WKT. */
export function geoPoint(name?: string): CrateGeoPointBuilder {
  return new CrateGeoPointBuilder(name ?? '');
}

/** `GEO_SHAPE`: GeoJSON objects and WKT strings go as they are, once they look like what CrateDB parses. */
export class CrateGeoShapeBuilder extends CrateColumnBuilder<{ dataType: 'object json'; data: GeoJsonGeometry; driverParam: GeoJsonGeometry | string }> {
  static override readonly [entityKind]: string = 'CrateGeoShapeBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'GEO_SHAPE'>;

  constructor(name: string, config: GeoShapeConfig) {
    super(name, 'object json', 'CrateGeoShape');
    this.config.crate.index = geoShapeIndex(config, (message) => this.config.crate.problems.push({ rule: 'column-clause', message }));
  }

  protected elementShape(_table: PgTable): ColumnShape {
    return scalarShape('GEO_SHAPE', { kind: 'geo_shape' });
  }
}

/** `GEO_SHAPE [INDEX USING geohash|quadtree|bkdtree WITH (precision, distance_error_pct)]`: returned as GeoJSON. */
export function geoShape(config?: GeoShapeConfig): CrateGeoShapeBuilder;
export function geoShape(name: string, config?: GeoShapeConfig): CrateGeoShapeBuilder;
export function geoShape(a?: string | GeoShapeConfig, b?: GeoShapeConfig): CrateGeoShapeBuilder {
  const [name, config] = nameAndConfig(a, b);
  return new CrateGeoShapeBuilder(name, config ?? {});
}
