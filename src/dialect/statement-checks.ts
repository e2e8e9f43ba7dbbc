/**
 * The checks both lines' dialects run on pg-core's statement configs before rendering them: the configs have the
 * same fields on 0.45 and v1 for everything checked here, so each check is written once. The dialects stay what
 * pg-core forces: which method to override and how to call the parent.
 */
import type { SQL } from 'drizzle-orm';
import { tableLabel } from './internals.js';
import { checkRowCount, refuse } from './refusals.js';
import { crateSetOperations, hasWhereClause, type SetOperation } from './statement-rewrites.js';
import { checkUuidSelection } from './uuid-guards.js';

interface SelectConfig {
  limit?: unknown;
  offset?: unknown;
  lockingClause?: { strength: string } | undefined;
  distinct?: unknown;
  joins?: readonly { lateral?: boolean | undefined; joinType: string }[] | undefined;
  orderBy?: readonly unknown[] | undefined;
  setOperators: readonly unknown[];
  fields?: unknown;
}

/**
 * A select as CrateDB runs it: refused if it asks for what CrateDB lacks, set operations written without the
 * parentheses CrateDB's grammar refuses. `render` is pg-core's own rendering of a config.
 */
export function crateSelect<TConfig extends SelectConfig>(config: TConfig, render: (config: TConfig) => SQL): SQL {
  checkRowCount('limit', config.limit);
  checkRowCount('offset', config.offset);
  if (config.lockingClause) throw refuse.rowLocks(config.lockingClause.strength);
  if (typeof config.distinct === 'object') throw refuse.distinctOn();
  checkUuidSelection(config.fields);
  for (const join of config.joins ?? []) {
    if (join.lateral) throw refuse.lateralJoin(join.joinType);
  }
  if (config.setOperators.length === 0) return render(config);
  const left = render({ ...config, setOperators: [] });
  const leftIsPlain = !(config.orderBy?.length || config.limit !== undefined || config.offset !== undefined);
  return crateSetOperations(left, leftIsPlain, config.setOperators as unknown as SetOperation[]);
}

export function checkDelete(config: { table: object; returning?: unknown }): void {
  if (config.returning) throw refuse.deleteReturning(tableLabel(config.table));
}

export function checkUpdate(config: { table: object; from?: unknown; joins: readonly unknown[] }): void {
  if (config.from || config.joins.length > 0) throw refuse.updateFrom(tableLabel(config.table));
}

export function checkInsert(config: { table: object; onConflict?: SQL | undefined }): void {
  if (config.onConflict && hasWhereClause(config.onConflict)) throw refuse.onConflictWhere(tableLabel(config.table));
}
