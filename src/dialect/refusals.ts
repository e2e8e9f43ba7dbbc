/**
 * What CrateDB cannot do, and what to write instead: the refusals of both Drizzle lines, each worded once. Every one
 * is raised while a statement is built, before anything is sent.
 */
import { CrateArgumentError, CrateUnsupportedError } from '../shared/errors.js';

export const refuse = {
  transactions: () =>
    new CrateUnsupportedError(
      'transactions (db.transaction())',
      'Every statement commits on its own. For "insert or update" use insert().onConflictDoUpdate(); for ' +
        '"update only if unchanged" use optimistic concurrency (db.updateIfUnchanged(), or where _seq_no = ? and ' +
        "_primary_term = ?); for many rows at once use a bulk insert, which reports each row's outcome.",
    ),
  rowLocks: (strength: string) =>
    new CrateUnsupportedError(
      `select().for('${strength}')`,
      'CrateDB has no row locks. Use optimistic concurrency instead: read _seq_no and _primary_term, then update with ' +
        '`where _seq_no = ? and _primary_term = ?` and check the row count.',
    ),
  distinctOn: () =>
    new CrateUnsupportedError('selectDistinctOn()', 'Use selectDistinct() over the columns you need, or group by the key columns and aggregate the rest.'),
  lateralJoin: (joinType: string) =>
    new CrateUnsupportedError(
      `${joinType} join lateral`,
      'Rewrite the lateral subquery as a plain join on a grouped subquery, or as a correlated scalar subquery in the select list.',
    ),
  setOperationAll: (type: string) =>
    new CrateUnsupportedError(
      `${type} all`,
      `Use ${type}() (CrateDB only supports the distinct form), or union all over tagged subqueries and group the result.`,
    ),
  deleteReturning: (table: string) =>
    new CrateUnsupportedError(
      `delete(${table}).returning()`,
      'Select the rows you are about to delete first (by primary key, so the read is consistent), then delete them.',
    ),
  updateFrom: (table: string) =>
    new CrateUnsupportedError(
      `update(${table}).from() / joins`,
      'Compute the new values with a select first, then update by primary key (or use a bulk update with bulk_args).',
    ),
  onConflictWhere: (table: string) =>
    new CrateUnsupportedError(
      `onConflict...({ where / targetWhere / setWhere }) on ${table}`,
      "CrateDB's ON CONFLICT has neither a conflict-target WHERE nor a DO UPDATE ... WHERE. Put the condition into the " +
        'assigned value instead, e.g. set: { v: sql`CASE WHEN <cond> THEN excluded.v ELSE v END` }.',
    ),
  withRecursive: () =>
    new CrateUnsupportedError(
      'WITH RECURSIVE',
      'CrateDB only has plain CTEs. Walk the hierarchy in the application, level by level, with `where parent_id = any(?)`.',
    ),
  rollback: () =>
    new CrateUnsupportedError(
      'ROLLBACK',
      'CrateDB has no transactions: every statement commits on its own. Use upserts and optimistic concurrency instead.',
    ),
};

/** Guards for statements written by hand with `sql` that CrateDB's grammar would reject anyway, with advice instead. */
export function assertStatementSupported(text: string): void {
  const head = text.trimStart().slice(0, 40).toLowerCase();
  if (/^with\s+recursive\b/.test(head)) throw refuse.withRecursive();
  if (/^rollback\b/.test(head)) throw refuse.rollback();
}

/**
 * `limit(NaN)` and `limit(-1)` would otherwise be left out of the statement by pg-core and return every row; a
 * fraction would be cut by the server. Placeholders and SQL pass (their values are checked by the server).
 */
export function checkRowCount(clause: 'limit' | 'offset', value: unknown): void {
  if (value === undefined || value === null || typeof value === 'object') return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new CrateArgumentError(`${clause}(${String(value)}): ${clause} must be a whole number, 0 or more`);
  }
}
