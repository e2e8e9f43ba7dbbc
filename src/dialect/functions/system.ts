/**
 * CrateDB's system columns, readable on any table, and optimistic concurrency control with `_seq_no` and
 * `_primary_term`: an update that applies only if the row has not changed since it was read.
 */
import { and, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

export interface SystemColumns {
  /** `_id`: the row's id: the primary key values, or a random id CrateDB made for tables without one. */
  _id: SQL<string>;
  /** `_seq_no`: the sequence number of the row's last change, for optimistic concurrency. */
  _seq_no: SQL<number>;
  /** `_primary_term`: the primary shard term of the row's last change, for optimistic concurrency. */
  _primary_term: SQL<number>;
  /** `_score`: relevance to the MATCH or knn_match in the WHERE clause. */
  _score: SQL<number>;
  /** `_docid`: Lucene's internal document id (changes on merges; for debugging). */
  _docid: SQL<number>;
}

/** System columns of a table, to select, filter and return: `db.select({ id: sys(t)._id, ... })`. */
export function systemColumns(table: PgTable): SystemColumns {
  const column = (name: string) => sql`${table}.${sql.identifier(name)}`;
  return {
    _id: column('_id').mapWith(String),
    _seq_no: column('_seq_no').mapWith(Number),
    _primary_term: column('_primary_term').mapWith(Number),
    _score: column('_score').mapWith(Number),
    _docid: column('_docid').mapWith(Number),
  };
}

/** A row's version as read: pass it back to `unchangedSince()` when updating. */
export interface RowVersion {
  seqNo: number;
  primaryTerm: number;
}

/**
 * `_seq_no = ? AND _primary_term = ?`: add to an update's WHERE (with the primary key) so it only applies when the
 * row is unchanged since `version` was read. The update's row count then tells whether it applied.
 */
export function unchangedSince(table: PgTable, version: RowVersion): SQL {
  const sys = systemColumns(table);
  return and(sql`${sys._seq_no} = ${version.seqNo}`, sql`${sys._primary_term} = ${version.primaryTerm}`)!;
}

/**
 * `excluded.<column>` in `onConflictDoUpdate({ set })`: the value the conflicting insert proposed. The column is
 * rendered by the dialect, which writes bare (cased) column names inside ON CONFLICT.
 */
export function excluded(column: PgColumn): SQL {
  return sql`excluded.${column}`;
}
