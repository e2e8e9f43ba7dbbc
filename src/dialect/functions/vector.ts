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
  const value = isCrateColumn(column) && column.crate.spec.kind === 'float_vector' ? column.mapToDriverValue(vector) : [...vector];
  return sql`knn_match(${column}, ${new Param(value)}, ${k})`;
}
