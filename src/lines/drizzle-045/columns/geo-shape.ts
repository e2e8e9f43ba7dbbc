import { entityKind, type ColumnBaseConfig, type ColumnBuilderBaseConfig } from 'drizzle-orm';
import type { AnyPgTable } from 'drizzle-orm/pg-core';
import type { GeoJsonGeometry } from '../../../columns/values.js';
import { geoShapeIndex, nameAndConfig, type GeoShapeConfig } from '../../../columns/builder-args.js';
import { CrateColumn, CrateColumnBuilder, crateCapabilities, type CapabilitiesOf, scalarShape, type BuilderInitial } from './common.js';

export type CrateGeoShapeBuilderInitial<TName extends string> = CrateGeoShapeBuilder<BuilderInitial<TName, 'json', 'CrateGeoShape', GeoJsonGeometry, GeoJsonGeometry | string>>;

export class CrateGeoShapeBuilder<T extends ColumnBuilderBaseConfig<'json', 'CrateGeoShape'>> extends CrateColumnBuilder<T> {
  static override readonly [entityKind]: string = 'CrateGeoShapeBuilder';
  declare readonly [crateCapabilities]: CapabilitiesOf<'GEO_SHAPE'>;

  constructor(name: T['name'], config: GeoShapeConfig) {
    super(name, 'json', 'CrateGeoShape');
    this.config.crate.index = geoShapeIndex(config, (message) => this.config.crate.problems.push({ rule: 'column-clause', message }));
  }

  /** @internal */
  build(table: AnyPgTable): CrateGeoShape<ColumnBaseConfig<'json', 'CrateGeoShape'>> {
    return new CrateGeoShape(table, this.config as never, scalarShape('GEO_SHAPE', { kind: 'geo_shape' }));
  }
}

/** `GEO_SHAPE`: GeoJSON objects and WKT strings go as they are, once they look like what CrateDB parses. */
export class CrateGeoShape<T extends ColumnBaseConfig<'json', 'CrateGeoShape'>> extends CrateColumn<T> {
  static override readonly [entityKind]: string = 'CrateGeoShape';
}

/** `GEO_SHAPE [INDEX USING geohash|quadtree|bkdtree WITH (precision, distance_error_pct)]`: returned as GeoJSON. */
export function geoShape(config?: GeoShapeConfig): CrateGeoShapeBuilderInitial<''>;
export function geoShape<TName extends string>(name: TName, config?: GeoShapeConfig): CrateGeoShapeBuilderInitial<TName>;
export function geoShape(a?: string | GeoShapeConfig, b?: GeoShapeConfig): CrateGeoShapeBuilderInitial<any> {
  const [name, config] = nameAndConfig(a, b);
  return new CrateGeoShapeBuilder(name, config ?? {});
}
