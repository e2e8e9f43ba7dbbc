import { Column, entityKind, getTableColumns, is, Param, SQL, sql, type QueryWithTypings } from 'drizzle-orm';
import {
  PgColumn,
  PgDialect,
  type PgDeleteConfig,
  type PgInsertConfig,
  type PgSelectConfig,
  type PgTable,
  type PgUpdateConfig,
} from 'drizzle-orm/pg-core';
import type { UpdateSet } from 'drizzle-orm';
import { ObjectPatch } from '../drizzle-common/functions/object.js';
import { tableLabel, TableSymbols } from '../drizzle-common/internals.js';
import { assertStatementSupported, checkRowCount, refuse } from '../drizzle-common/refusals.js';
import { columnCasing } from './internals.js';

type SetOperator = PgSelectConfig['setOperators'][number];

/**
 * CrateDB's SQL, as pg-core writes it, minus what CrateDB's grammar lacks. Every refusal happens while the
 * statement is being built, so nothing half-valid reaches the server.
 */
export class CrateDialect extends PgDialect {
  static override readonly [entityKind]: string = 'CrateDialect';

  override buildSelectQuery(config: PgSelectConfig): SQL {
    checkRowCount('limit', config.limit);
    checkRowCount('offset', config.offset);
    if (config.lockingClause) throw refuse.rowLocks(config.lockingClause.strength);
    if (typeof config.distinct === 'object') throw refuse.distinctOn();
    for (const join of config.joins ?? []) {
      if (join.lateral) throw refuse.lateralJoin(join.joinType);
    }
    if (config.setOperators.length === 0) return super.buildSelectQuery(config);

    // pg-core wraps each side of a set operation in parentheses; CrateDB's grammar has no parenthesised query term.
    const left = super.buildSelectQuery({ ...config, setOperators: [] });
    const leftIsPlain = !(config.orderBy?.length || config.limit !== undefined || config.offset !== undefined);
    return this.buildCrateSetOperations(left, leftIsPlain, config.setOperators);
  }

  private buildCrateSetOperations(left: SQL, leftIsPlain: boolean, operators: readonly SetOperator[]): SQL {
    let result = left;
    let resultIsPlainSpec = leftIsPlain;
    let resultIsSetOperation = false;
    operators.forEach((op, i) => {
      const { type, isAll, rightSelect, orderBy, limit, offset } = op;
      if (isAll && type !== 'union') throw refuse.setOperationAll(type);
      checkRowCount('limit', limit);
      checkRowCount('offset', offset);
      // INTERSECT and EXCEPT take two plain query specifications; UNION chains, but no side may carry ORDER BY or LIMIT.
      const leftNeedsWrap = !resultIsPlainSpec || (type !== 'union' && resultIsSetOperation);
      const lhs = leftNeedsWrap ? wrapAsSubquery(result, `set_left_${i}`) : result;
      const rightConfig = (rightSelect as unknown as { config?: Partial<PgSelectConfig> }).config;
      const rightIsPlain =
        rightConfig !== undefined &&
        !(rightConfig.orderBy?.length || rightConfig.limit !== undefined || rightConfig.offset !== undefined) &&
        (rightConfig.setOperators?.length ?? 0) === 0;
      const rhs = rightIsPlain ? rightSelect.getSQL() : wrapAsSubquery(rightSelect.getSQL(), `set_right_${i}`);

      const tail: SQL[] = [];
      if (orderBy && orderBy.length > 0) {
        // After a set operation, ORDER BY refers to output names, not to a table's columns.
        const items = orderBy.map((item) => (is(item, PgColumn) ? sql.identifier(item.name) : sql`${item}`));
        tail.push(sql` order by ${sql.join(items, sql`, `)}`);
      }
      if (typeof limit === 'object' || (typeof limit === 'number' && limit >= 0)) tail.push(sql` limit ${limit}`);
      if (offset) tail.push(sql` offset ${offset}`);

      result = sql`${lhs} ${sql.raw(type)}${isAll ? sql` all` : undefined} ${rhs}${sql.join(tail)}`;
      resultIsPlainSpec = tail.length === 0;
      resultIsSetOperation = true;
    });
    return result;
  }

  /** Expands `objectPatch()` values into subscript assignments; everything else is pg-core's. */
  override buildUpdateSet(table: PgTable, set: UpdateSet): SQL {
    const patches = Object.entries(set).filter((entry): entry is [string, ObjectPatch] => entry[1] instanceof ObjectPatch);
    if (patches.length === 0) return super.buildUpdateSet(table, set);
    const columns = getTableColumns(table);
    const assignments = patches.flatMap(([key, patch]) => {
      const column = columns[key]!;
      return patch.assignments(column, columnCasing(this).getColumnCasing(column));
    });
    const rest = Object.fromEntries(Object.entries(set).filter(([, value]) => !(value instanceof ObjectPatch)));
    // pg-core also adds columns with $onUpdate, so its part may be non-empty even when every given value was a patch.
    const hasRest = Object.keys(rest).length > 0 || Object.values(columns).some((column) => column.onUpdateFn !== undefined);
    return sql.join(hasRest ? [super.buildUpdateSet(table, rest), ...assignments] : assignments, sql`, `);
  }

  override buildDeleteQuery(config: PgDeleteConfig): SQL {
    if (config.returning) throw refuse.deleteReturning(tableLabel(config.table));
    return super.buildDeleteQuery(config);
  }

  override buildUpdateQuery(config: PgUpdateConfig): SQL {
    if (config.from || config.joins.length > 0) throw refuse.updateFrom(tableLabel(config.table));
    return super.buildUpdateQuery(config);
  }

  override buildInsertQuery(config: PgInsertConfig): SQL {
    if (config.onConflict && hasWhereClause(config.onConflict)) throw refuse.onConflictWhere(tableLabel(config.table));
    // In ON CONFLICT ... DO UPDATE SET, CrateDB only takes bare column names ("too many parts" otherwise), while
    // pg-core writes `"table"."column"` for every column used in a value expression.
    const onConflict = config.onConflict && this.withBareColumns(config.onConflict);
    if (config.select || !Array.isArray(config.values)) return super.buildInsertQuery({ ...config, onConflict });
    return super.buildInsertQuery({ ...config, onConflict, table: withoutUnsetColumns(config.table, config.values) });
  }

  private withBareColumns(query: SQL): SQL {
    const mapChunk = (chunk: unknown): unknown => {
      if (is(chunk, Column)) return sql.identifier(columnCasing(this).getColumnCasing(chunk));
      if (is(chunk, SQL)) return new SQL(chunk.queryChunks.map(mapChunk) as SQL['queryChunks']);
      return chunk;
    };
    return mapChunk(query) as SQL;
  }

  override sqlToQuery(query: SQL, invokeSource?: 'indexes'): QueryWithTypings {
    const result = super.sqlToQuery(query, invokeSource);
    assertStatementSupported(result.sql);
    return result;
  }
}

/**
 * pg-core writes `DEFAULT` for every column a row leaves out, which CrateDB only accepts since 6.3. A column that no
 * row sets (and that has no client-side default) is left out of the column list instead, so the server applies its
 * own default on every version. Only a column set in some rows and not in others still needs `DEFAULT`.
 */
function withoutUnsetColumns(table: PgTable, rows: readonly Record<string, Param | SQL>[]): PgTable {
  const columns = getTableColumns(table);
  const unset = new Set(
    Object.keys(columns).filter((key) => {
      const column = columns[key]!;
      if (column.defaultFn !== undefined || column.onUpdateFn !== undefined) return false;
      return rows.every((row) => isUnset(row[key]));
    }),
  );
  if (unset.size === 0) return table;
  const kept = Object.fromEntries(Object.entries(columns).filter(([key]) => !unset.has(key)));
  // A view of the table that only differs in its column list; it renders and compares as the table itself.
  return Object.create(table, { [TableSymbols.Columns]: { value: kept } }) as PgTable;
}

function isUnset(value: unknown): boolean {
  return value === undefined || (is(value, Param) && value.value === undefined);
}

function wrapAsSubquery(query: SQL, alias: string): SQL {
  return sql`select * from (${query}) as ${sql.identifier(alias)}`;
}


/** pg-core renders `where`, `targetWhere` and `setWhere` of ON CONFLICT as nested SQL chunks starting with " where ". */
function hasWhereClause(onConflict: SQL): boolean {
  return onConflict.queryChunks.some((chunk) => {
    if (!is(chunk, SQL)) return false;
    const first = chunk.queryChunks[0] as { value?: string[] } | undefined;
    return Array.isArray(first?.value) && first.value.join('').trimStart().toLowerCase().startsWith('where ');
  });
}
