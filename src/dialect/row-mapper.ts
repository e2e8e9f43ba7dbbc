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
/**
 * A cell's decoder, or undefined when it would return its input unchanged. Kept as the decoder object and called as
 * `decoder.mapFromDriverValue(value)`: a bound copy per query would be a new call target every time, and the call
 * site in the mapper would never settle.
 */
type Decode = DriverValueDecoder<unknown, unknown> | undefined;

const NOOP_DECODE = sqlDecoder(sql``).mapFromDriverValue;
const COLUMN_DECODE = Column.prototype.mapFromDriverValue;

function decoderOf(field: SelectedFieldsOrdered[number]['field']): DriverValueDecoder<unknown, unknown> {
  if (is(field, Column)) return field;
  if (is(field, SQL)) return sqlDecoder(field);
  if (is(field, Subquery)) return sqlDecoder(field._.sql as SQL);
  return sqlDecoder((field as SQL.Aliased).sql);
}

function decodeFunction(decoder: DriverValueDecoder<unknown, unknown>): Decode {
  if (decoder instanceof CrateColumn && decoder.mapsIdentically) return undefined;
  const map = decoder.mapFromDriverValue;
  if (map === NOOP_DECODE || map === COLUMN_DECODE) return undefined;
  return decoder;
}

/** Sets an own property, also one named `__proto__` (which plain assignment would take as the prototype). */
function setOwn(target: Row, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Results of at least this many rows are mapped by generated code; below it, compiling would cost more than it saves. */
const LITERAL_MAPPER_MIN_ROWS = 64;

/** Maps a result's rows; built once per prepared query. */
export function compileRowsMapper(
  fields: SelectedFieldsOrdered,
  joinsNotNullableMap: Record<string, boolean> | undefined,
): (rows: unknown[][]) => Row[] {
  const byLoop = compileRowMapper(fields, joinsNotNullableMap);
  const flat = fields.every(({ path }) => path.length === 1);
  let byLiteral: ((row: unknown[]) => Row) | undefined | null;
  return (rows) => {
    if (flat && rows.length >= LITERAL_MAPPER_MIN_ROWS) {
      byLiteral ??=
        literalMapper(
          fields.map(({ path }) => path[0]!),
          fields.map(({ field }) => decodeFunction(decoderOf(field))),
        ) ?? null;
      if (byLiteral) return rows.map(byLiteral);
    }
    return rows.map(byLoop);
  };
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
    const set = keys.includes('__proto__') ? setOwn : (target: Row, key: string, value: unknown) => void (target[key] = value);
    return (row) => {
      const result: Row = {};
      for (let i = 0; i < width; i++) {
        const value = row[i];
        const decode = decoders[i];
        set(result, keys[i]!, value === null || value === undefined ? null : decode === undefined ? value : decode.mapFromDriverValue(value));
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
      const value = raw === null || raw === undefined ? null : cell.decode === undefined ? raw : cell.decode.mapFromDriverValue(raw);
      setOwn(node, cell.key, value);
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

/**
 * A flat row as one object literal, generated for the query's keys: V8 then builds every row with the same hidden
 * class in one step, about five times faster than adding the keys one by one (0.2 against 1 ms per 10,000 rows of
 * eight columns). Keys enter the code only as JSON string literals. The generated factory is cached by its code, so
 * the same query shape run again (prepared or not) reuses code V8 has already optimised instead of starting cold.
 * Returns undefined where code generation is not allowed or a key would be read as a prototype setter, and the loop
 * serves instead.
 */
function literalMapper(keys: readonly string[], decoders: readonly Decode[]): ((row: unknown[]) => Row) | undefined {
  if (keys.includes('__proto__')) return undefined;
  const properties = keys.map((key, i) => {
    const value = decoders[i] === undefined ? `row[${i}]` : `decoders[${i}].mapFromDriverValue(row[${i}])`;
    return `${JSON.stringify(key)}: row[${i}] == null ? null : ${value}`;
  });
  const code = `return function mapRow(row) { return { ${properties.join(', ')} }; };`;
  let factory = literalFactories.get(code);
  if (factory === undefined) {
    try {
      factory = new Function('decoders', code) as LiteralFactory;
    } catch {
      return undefined;
    }
    if (literalFactories.size >= MAX_CACHED_SHAPES) literalFactories.clear();
    literalFactories.set(code, factory);
  }
  return factory(decoders);
}

type LiteralFactory = (decoders: readonly Decode[]) => (row: unknown[]) => Row;
const MAX_CACHED_SHAPES = 512;
const literalFactories = new Map<string, LiteralFactory>();
