import { entityKind, getTableColumns, SQL, type Query } from 'drizzle-orm';
import { PgDialect, type PgDeleteConfig, type PgInsertConfig, type PgSelectConfig, type PgTable, type PgUpdateConfig, type PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { assertStatementSupported } from '../../dialect/refusals.js';
import { guardUuidComparisons } from '../../dialect/uuid-guards.js';
import { checkDelete, checkInsert, checkUpdate, crateSelect } from '../../dialect/statement-checks.js';
import { buildUpdateSetWithPatches, unsetColumnKeys, withBareColumns } from '../../dialect/statement-rewrites.js';

/**
 * CrateDB's SQL, as pg-core 1.x writes it, minus what CrateDB's grammar lacks. Every refusal happens while the
 * statement is being built, so nothing half-valid reaches the server. Built without codecs: the transport decodes
 * by CrateDB's column types, so pg-core adds no casts and rewrites no parameters.
 */
export class CrateDialect extends PgDialect {
  static override readonly [entityKind]: string = 'CrateDialect';

  /** v1 columns carry their database name; casing was applied when the table was built. */
  /** @internal the name a column has in SQL; also used by the database's bulk insert. */
  readonly columnName = (column: { name: string }) => column.name;

  override buildSelectQuery(config: PgSelectConfig): SQL {
    // Set operations are written without the outer `select ... from (...) "drizzle_union"` that v1 adds for cast
    // codecs: this dialect has none.
    return crateSelect(config, (rendered) => super.buildSelectQuery(rendered));
  }

  /** Expands `objectPatch()` values into subscript assignments; everything else is pg-core's. */
  override buildUpdateSet(table: PgTable, set: PgUpdateSetSource<PgTable>): SQL {
    return (
      buildUpdateSetWithPatches(table, set as Record<string, unknown>, this.columnName, (rest) => super.buildUpdateSet(table, rest as never)) ??
      super.buildUpdateSet(table, set)
    );
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
    if (config.select || config.columnList || !Array.isArray(config.values)) return super.buildInsertQuery({ ...config, onConflict });
    // v1 takes an explicit column list: the columns no row sets are left out of it.
    const rows = config.values as Record<string, unknown>[];
    const unset = unsetColumnKeys(config.table, rows, (value) => value === undefined);
    if (unset.size === 0) return super.buildInsertQuery({ ...config, onConflict });
    const columnList = Object.keys(getTableColumns(config.table)).filter((key) => !unset.has(key));
    return super.buildInsertQuery({ ...config, onConflict, columnList });
  }

  override sqlToQuery(query: SQL, invokeSource?: 'indexes'): Query {
    const result = super.sqlToQuery(guardUuidComparisons(query), invokeSource);
    assertStatementSupported(result.sql);
    return result;
  }
}
