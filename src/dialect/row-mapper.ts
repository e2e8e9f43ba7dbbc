/**
 * Maps CrateDB's array rows to the objects Drizzle's select returns: the same result as drizzle-orm's `mapResultRow`,
 * with the per-cell work done once per query instead. `mapResultRow` finds each cell's decoder with `is()` (a
 * prototype walk), walks its path and calls `mapFromDriverValue` for every cell; on a 10,000-row result that costs
 * nearly as much as parsing the JSON. Here decoders are resolved up front, identity decoders are skipped (the
 * transport already decoded values by `col_types`), and a flat selection is a plain loop.
 */
import { Column, is, SQL, sql, Subquery, getTableName, type DriverValueDecoder } from 'drizzle-orm';
import type { SelectedFieldsOrdered } from 'drizzle-orm/pg-core';
import { CrateColumn } from '../columns/common.js';
import { sqlDecoder } from './drizzle-internals.js';

type Row = Record<string, unknown>;
type Decode = ((value: unknown) => unknown) | undefined;

const NOOP_DECODE = sqlDecoder(sql``).mapFromDriverValue;
const COLUMN_DECODE = Column.prototype.mapFromDriverValue;

function decoderOf(field: SelectedFieldsOrdered[number]['field']): DriverValueDecoder<unknown, unknown> {
  if (is(field, Column)) return field;
  if (is(field, SQL)) return sqlDecoder(field);
  if (is(field, Subquery)) return sqlDecoder(field._.sql as SQL);
  return sqlDecoder((field as SQL.Aliased).sql);
}

/** The decoding function of a cell, or undefined when it would return its input unchanged. */
function decodeFunction(decoder: DriverValueDecoder<unknown, unknown>): Decode {
  if (decoder instanceof CrateColumn && decoder.mapsIdentically) return undefined;
  const map = decoder.mapFromDriverValue;
  if (map === NOOP_DECODE || map === COLUMN_DECODE) return undefined;
  return map.bind(decoder);
}

export function compileRowMapper(
  fields: SelectedFieldsOrdered,
  joinsNotNullableMap: Record<string, boolean> | undefined,
): (row: unknown[]) => Row {
  const cells = fields.map(({ path, field }) => ({
    path,
    key: path[path.length - 1]!,
    decode: decodeFunction(decoderOf(field)),
    // A left/right/full-joined table whose every column is null becomes null itself.
    nullableTable: joinsNotNullableMap && is(field, Column) && path.length === 2 ? getTableName(field.table) : undefined,
  }));

  if (cells.every((cell) => cell.path.length === 1)) {
    const keys = cells.map((cell) => cell.key);
    const decoders = cells.map((cell) => cell.decode);
    const width = keys.length;
    return (row) => {
      const result: Row = {};
      for (let i = 0; i < width; i++) {
        const value = row[i];
        const decode = decoders[i];
        result[keys[i]!] = value === null || value === undefined ? null : decode === undefined ? value : decode(value);
      }
      return result;
    };
  }

  return (row) => {
    const result: Row = {};
    // For each nested object of a joined table: its table's name while all its columns are null, else false.
    const nullify: Record<string, string | false> = {};
    cells.forEach((cell, index) => {
      let node = result;
      for (let depth = 0; depth < cell.path.length - 1; depth++) {
        const part = cell.path[depth]!;
        node = (node[part] ??= {}) as Row;
      }
      const raw = row[index];
      const value = raw === null || raw === undefined ? null : cell.decode === undefined ? raw : cell.decode(raw);
      node[cell.key] = value;
      if (cell.nullableTable !== undefined) {
        // Unlike mapResultRow, which only looks at the first column, a joined row with a null first column but
        // other values is kept: only an object whose columns are all null (no matching row) becomes null.
        const objectName = cell.path[0]!;
        const seen = nullify[objectName];
        if (value !== null) nullify[objectName] = false;
        else if (seen === undefined) nullify[objectName] = cell.nullableTable;
        else if (seen !== cell.nullableTable) nullify[objectName] = false;
      }
    });
    for (const [objectName, tableName] of Object.entries(nullify)) {
      if (typeof tableName === 'string' && !joinsNotNullableMap![tableName]) result[objectName] = null;
    }
    return result;
  };
}
