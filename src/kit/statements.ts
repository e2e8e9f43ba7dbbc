/**
 * Changes → CrateDB statements. Each change renders to one or more statements; a rebuild to the sequence in
 * rebuild.ts.
 */
import { checkSql, columnDefinitionSql, createTableSql, dropTableSql } from '../tables/ddl.js';
import { columnPath, literal, qualifiedName, quote, settingKey } from '../shared/sql-text.js';
import type { Change, TableRef } from './diff.js';
import { rebuildStatements } from './rebuild.js';
import { createViewSql, dropViewSql } from '../tables/views.js';


const alter = (table: TableRef) => `ALTER TABLE ${qualifiedName(table)}`;

export function changeStatements(change: Change): string[] {
  switch (change.kind) {
    case 'create_schema':
      return [`CREATE SCHEMA IF NOT EXISTS ${quote(change.schema)}`];
    case 'drop_schema':
      return [`DROP SCHEMA IF EXISTS ${quote(change.schema)}`];
    case 'create_table':
      return [createTableSql(change.table)];
    case 'drop_table':
      return [dropTableSql(change.table)];
    case 'create_view':
      return [createViewSql(change.view, { orReplace: change.replace })];
    case 'drop_view':
      return [dropViewSql(change.view)];
    case 'rename_table':
      return [`${alter(change.from)} RENAME TO ${quote(change.to.name)}`];
    case 'add_column': {
      const definition = columnDefinitionSql(change.column).slice(quote(change.column.name).length);
      const checks = change.checks.map((check) => ` ${checkSql(check)}`).join('');
      return [`${alter(change.table)} ADD COLUMN ${columnPath(change.path)}${definition}${checks}`];
    }
    case 'drop_column':
      return [`${alter(change.table)} DROP COLUMN ${columnPath(change.path)}`];
    case 'rename_column':
      return [`${alter(change.table)} RENAME COLUMN ${columnPath(change.from)} TO ${columnPath(change.to)}`];
    case 'set_default':
      return [
        `${alter(change.table)} ALTER COLUMN ${columnPath(change.path)} ${change.default === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${change.default}`}`,
      ];
    case 'set_settings': {
      const statements: string[] = [];
      const set = Object.entries(change.set);
      if (set.length) statements.push(`${alter(change.table)} SET (${set.map(([key, value]) => `${settingKey(key)} = ${literal(value)}`).join(', ')})`);
      if (change.reset.length) statements.push(`${alter(change.table)} RESET (${change.reset.map(settingKey).join(', ')})`);
      return statements;
    }
    case 'drop_check':
      return [`${alter(change.table)} DROP CONSTRAINT ${quote(change.name)}`];
    case 'set_shards':
      // A partitioned table's shard count applies to new partitions; a plain table is resized, which needs it
      // read-only for the duration.
      return change.partitioned
        ? [`${alter(change.table)} SET (number_of_shards = ${change.shards})`]
        : [
            `${alter(change.table)} SET ("blocks.write" = true)`,
            `${alter(change.table)} SET (number_of_shards = ${change.shards})`,
            `${alter(change.table)} RESET ("blocks.write")`,
          ];
    case 'rebuild':
      return rebuildStatements(change);
  }
}

export function statementsFor(changes: readonly Change[]): string[] {
  return changes.flatMap(changeStatements);
}
