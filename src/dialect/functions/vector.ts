/** Vector search over FLOAT_VECTOR columns. */
import { Param, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { isCrateColumn } from '../column-model.js';
import { CrateArgumentError } from '../../shared/errors.js';

/**
 * `knn_match(column, vector, k)`: the `k` nearest neighbours per shard by vector similarity; rank with `score()`
 * and `limit`. The query vector is checked against the column's dimensions before sending.
 */
export function knnMatch(column: SQLWrapper, vector: readonly number[], k: number): SQL<boolean> {
  if (!Number.isInteger(k) || k < 1) throw new CrateArgumentError(`knnMatch(): k must be a positive integer, got ${k}`);
  return sql`knn_match(${column}, ${queryVector(column, vector)}, ${k})`;
}

/**
 * `vector_similarity(column, vector)`: 1 / (1 + squared Euclidean distance), in (0, 1], 1 for equal vectors, null
 * when the column is null. Selectable and orderable anywhere, unlike knn_match. The vector is checked against the
 * column's dimensions before sending, and sent as a parameter.
 */
export function vectorSimilarity(column: SQLWrapper, vector: readonly number[]): SQL<number> {
  // CrateDB returns a REAL as a JSON number; Drizzle passes a null by without mapping it.
  return sql<number>`vector_similarity(${column}, ${queryVector(column, vector)})`.mapWith(Number);
}

/** The query vector as a parameter, checked by the column's codec (which names the column) when it is a FLOAT_VECTOR. */
function queryVector(column: SQLWrapper, vector: readonly number[]): Param {
  const value = isCrateColumn(column) && column.crate.spec.kind === 'float_vector' ? column.mapToDriverValue(vector) : [...vector];
  return new Param(value);
}
