/** Geo predicates and distances over GEO_POINT and GEO_SHAPE, with shapes given as GeoJSON or WKT. */
import { is, Param, SQL, sql, type SQLWrapper } from 'drizzle-orm';
import { checkGeoShape, parseGeoPoint, type GeoJsonGeometry, type GeoPointInput } from '../../columns/values.js';
import { CrateArgumentError } from '../../shared/errors.js';

export type GeoRelation = 'intersects' | 'disjoint' | 'within';
const RELATIONS = new Set<GeoRelation>(['intersects', 'disjoint', 'within']);

/** A geo point or shape operand: a column or expression, or a value bound as a parameter after checking it. */
type PointOperand = SQLWrapper | GeoPointInput;
type ShapeOperand = SQLWrapper | GeoJsonGeometry | string;

const isExpression = (value: unknown): value is SQLWrapper =>
  typeof value === 'object' && value !== null && typeof (value as SQLWrapper).getSQL === 'function' && !Array.isArray(value);

function point(value: PointOperand, where: string): SQLWrapper | Param {
  return isExpression(value) ? value : new Param(parseGeoPoint(value, () => where));
}

function shape(value: ShapeOperand, where: string): SQLWrapper | Param {
  if (isExpression(value)) return value;
  // A WKT point is also a shape; points given as [lon, lat] are accepted as such.
  if (Array.isArray(value)) return new Param(parseGeoPoint(value, () => where));
  return new Param(checkGeoShape(value, () => where));
}

/** `distance(a, b)`: meters between two points (columns, `[lon, lat]`, GeoJSON points or WKT). */
export function distance(a: PointOperand, b: PointOperand): SQL<number> {
  return sql`distance(${point(a, 'distance()')}, ${point(b, 'distance()')})`.mapWith(Number);
}

/** `within(a, shape)`: true when point or shape `a` lies within `shape`. */
export function within(a: PointOperand | ShapeOperand, container: ShapeOperand): SQL<boolean> {
  return sql`within(${shape(a as ShapeOperand, 'within()')}, ${shape(container, 'within()')})`;
}

/** `intersects(a, b)`: true when the two shapes share any point. */
export function intersects(a: ShapeOperand, b: ShapeOperand): SQL<boolean> {
  return sql`intersects(${shape(a, 'intersects()')}, ${shape(b, 'intersects()')})`;
}

/**
 * `MATCH(shapeColumn, shape) USING relation`: the indexed geo-shape search CrateDB runs on a GEO_SHAPE column's
 * index. `relation` defaults to `intersects`.
 */
export function geoMatch(column: SQLWrapper, query: ShapeOperand, relation: GeoRelation = 'intersects'): SQL<boolean> {
  if (!RELATIONS.has(relation)) throw new CrateArgumentError(`geoMatch(): relation must be intersects, disjoint or within, got '${String(relation)}'`);
  const value = is(query, SQL) ? query : shape(query, 'geoMatch()');
  return sql`match(${column}, ${value}) using ${sql.raw(relation)}`;
}
