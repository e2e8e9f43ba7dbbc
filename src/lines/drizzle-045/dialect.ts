import { entityKind, getTableColumns, is, Param, SQL, type QueryWithTypings, type UpdateSet } from 'drizzle-orm';
import { PgDialect, type PgDeleteConfig, type PgInsertConfig, type PgSelectConfig, type PgTable, type PgUpdateConfig } from 'drizzle-orm/pg-core';
import { TableSymbols } from '../../dialect/internals.js';
import { assertStatementSupported } from '../../dialect/refusals.js';
import { guardUuidComparisons } from '../../dialect/uuid-guards.js';
import { checkDelete, checkInsert, checkUpdate, crateSelect } from '../../dialect/statement-checks.js';
import { buildUpdateSetWithPatches, unsetColumnKeys, withBareColumns } from '../../dialect/statement-rewrites.js';
import { columnCasing } from './internals.js';

/**
 * CrateDB's SQL, as pg-core 0.45 writes it, minus what CrateDB's grammar lacks. Every refusal happens while the
 * statement is being built, so nothing half-valid reaches the server.
 */
export class CrateDialect extends PgDialect {
  static override readonly [entityKind]: string = 'CrateDialect';

  /** @internal the name a column has in SQL; also used by the database's bulk insert. */
  readonly columnName = (column: object) => columnCasing(this).getColumnCasing(column);

  override buildSelectQuery(config: PgSelectConfig): SQL {
    return crateSelect(config, (rendered) => super.buildSelectQuery(rendered));
  }

  /** Expands `objectPatch()` values into subscript assignments; everything else is pg-core's. */
  override buildUpdateSet(table: PgTable, set: UpdateSet): SQL {
    return buildUpdateSetWithPatches(table, set, this.columnName, (rest) => super.buildUpdateSet(table, rest as UpdateSet)) ?? super.buildUpdateSet(table, set);
  }

  override buildDeleteQuery(config: PgDeleteConfig): SQL {
    checkDelete(config);
    return super.buildDeleteQuery(config);
  }

  override buildUpdateQuery(config: PgUpdateConfig): SQL {
    checkUpdate(config);
    return super.buildUpdateQuery(config);
  }

  override buildInsertQuery(config: PgInsertConfig): SQL {
    checkInsert(config);
    const onConflict = config.onConflict && withBareColumns(config.onConflict, this.columnName);
    if (config.select || !Array.isArray(config.values)) return super.buildInsertQuery({ ...config, onConflict });
    return super.buildInsertQuery({ ...config, onConflict, table: withoutUnsetColumns(config.table, config.values) });
  }

  override sqlToQuery(query: SQL, invokeSource?: 'indexes'): QueryWithTypings {
    const result = super.sqlToQuery(guardUuidComparisons(query), invokeSource);
    assertStatementSupported(result.sql);
    return result;
  }
}

/** 0.45 has no column list on inserts: a view of the table without the unset columns renders and compares as the table. */
function withoutUnsetColumns(table: PgTable, rows: readonly Record<string, Param | SQL>[]): PgTable {
  const unset = unsetColumnKeys(table, rows, (value) => value === undefined || (is(value, Param) && value.value === undefined));
  if (unset.size === 0) return table;
  const kept = Object.fromEntries(Object.entries(getTableColumns(table)).filter(([key]) => !unset.has(key)));
  return Object.create(table, { [TableSymbols.Columns]: { value: kept } }) as PgTable;
}
