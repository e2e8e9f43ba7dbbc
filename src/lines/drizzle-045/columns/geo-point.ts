import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { GeoPoint } from '../../../columns/values.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

export type CrateGeoPointBuilderInitial<TName extends string> = CrateGeoPointBuilder<BuilderInitial<TName, 'array', 'CrateGeoPoint', GeoPoint>>;

export class CrateGeoPointBuilder<T extends ColumnBuilderBaseConfig<'array', 'CrateGeoPoint'>> extends CrateColumnBuilder<T> {
  static override readonly [entityKind]: string = 'CrateGeoPointBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'GEO_POINT'>;

  constructor(name: T['name']) {
    super(name, 'array', 'CrateGeoPoint');
  }

  /** @internal */
  build(table: AnyPgTable): CrateGeoPoint<ColumnBaseConfig<'array', 'CrateGeoPoint'>> {
    return new CrateGeoPoint(table, this.config as never, scalarShape('GEO_POINT', { kind: 'geo_point' }));
  }
}

/** `GEO_POINT`: returned as `[lon, lat]`; given as `[lon, lat]`, a GeoJSON Point or WKT, checked to lie on the globe. */
export class CrateGeoPoint<T extends ColumnBaseConfig<'array', 'CrateGeoPoint'>> extends CrateColumn<T> {
  static override readonly [entityKind]: string = 'CrateGeoPoint';
}

/** `GEO_POINT`: returned as `[lon, lat]`; accepts `[lon, lat]`, GeoJSON Points and WKT. */
export function geoPoint(): CrateGeoPointBuilderInitial<''>;
export function geoPoint<TName extends string>(name: TName): CrateGeoPointBuilderInitial<TName>;
export function geoPoint(name = ''): CrateGeoPointBuilderInitial<any> {
  return new CrateGeoPointBuilder(name);
}
