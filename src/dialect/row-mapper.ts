/**
 * Maps CrateDB's array rows to the objects Drizzle's select returns, on both lines: the result drizzle-orm's own
 * mappers give, with the per-cell work done once per query. Decoders are resolved up front, identity decoders are
 * skipped (the transport already decoded values by `col_types`), a flat selection is a plain loop, and a large flat
 * result is built by a generated object literal per row.
 */
import { Column, getTableName, is, SQL, sql, Subquery, type DriverValueDecoder } from 'drizzle-orm';
import { isCrateColumn } from './column-model.js';
import { columnTable, sqlDecoder } from './internals.js';

type Row = Record<string, unknown>;

/** One selected field as both lines describe it: where it goes in the row object, and what produced it. */
export interface MappedField {
  readonly path: readonly string[];
  readonly field: unknown;
}

/**
 * A cell's decoder, or undefined when it would return its input unchanged. Kept as the decoder object and called as
 * `decoder.mapFromDriverValue(value)`: a bound copy per query would be a new call target every time, and the call
 * site in the mapper would never settle.
 */
type Decode = DriverValueDecoder<unknown, unknown> | undefined;

const NOOP_DECODE = sqlDecoder(sql``).mapFromDriverValue;
/** Drizzle 0.45's Column declares an identity method; v1's columns carry a shared noop tagged `isNoop`. */
const COLUMN_DECODE = (Column.prototype as { mapFromDriverValue?: unknown }).mapFromDriverValue;

function decoderOf(field: unknown): DriverValueDecoder<unknown, unknown> {
  if (is(field, Column)) return field as unknown as DriverValueDecoder<unknown, unknown>;
  if (is(field, SQL)) return sqlDecoder(field);
  if (is(field, Subquery)) return sqlDecoder(field._.sql as SQL);
  return sqlDecoder((field as SQL.Aliased).sql);
}

function decodeFunction(decoder: DriverValueDecoder<unknown, unknown>): Decode {
  if (isCrateColumn(decoder) && decoder.crate.codec.decodesIdentically) return undefined;
  const map = decoder.mapFromDriverValue as ((value: unknown) => unknown) & { isNoop?: boolean };
  if (map === NOOP_DECODE || map === COLUMN_DECODE || map.isNoop === true) return undefined;
  return decoder;
}

/** Sets an own property, also one named `__proto__` (which plain assignment would take as the prototype). */
function setOwn(target: Row, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Drizzle 0.45's description of outer joins (which joined tables may be absent) as the keys of the nested objects
 * that become null when all their cells are null: objects made of one table's columns, where that table may be absent.
 */
export function nullableObjects(fields: readonly MappedField[], joinsNotNullableMap: Record<string, boolean> | undefined): ReadonlySet<string> | undefined {
  if (!joinsNotNullableMap) return undefined;
  const tableOf = new Map<string, string | false>();
  for (const { path, field } of fields) {
    if (path.length < 2 || !is(field, Column)) continue;
    const key = path[0]!;
    const table = getTableName(columnTable(field) as never);
    const current = tableOf.get(key);
    if (current === undefined) tableOf.set(key, table);
    else if (current !== false && current !== table) tableOf.set(key, false);
  }
  const keys = [...tableOf].filter(([, table]) => typeof table === 'string' && !joinsNotNullableMap[table]).map(([key]) => key);
  return keys.length ? new Set(keys) : undefined;
}

/** Results of at least this many rows are mapped by generated code; below it, compiling would cost more than it saves. */
const LITERAL_MAPPER_MIN_ROWS = 64;

/**
 * Maps a result's rows; built once per prepared query. `nullable` holds the keys of nested objects (outer-joined
 * tables) that become null when every cell under them is null.
 */
export function compileRowsMapper(fields: readonly MappedField[], nullable?: ReadonlySet<string>): (rows: unknown[][]) => Row[] {
  const byLoop = compileRowMapper(fields, nullable);
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

export function compileRowMapper(fields: readonly MappedField[], nullable?: ReadonlySet<string>): (row: unknown[]) => Row {
  const cells = fields.map(({ path, field }) => ({ path, key: path[path.length - 1]!, decode: decodeFunction(decoderOf(field)) }));

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

  // For each nullable object, the positions of the cells under it: all null means no row was joined.
  const leaves = [...(nullable ?? [])].map((key) => ({
    key,
    cells: cells.flatMap((cell, index) => (cell.path.length > 1 && cell.path[0] === key ? [index] : [])),
  }));
  return (row) => {
    const result: Row = {};
    cells.forEach((cell, index) => {
      let node = result;
      for (let depth = 0; depth < cell.path.length - 1; depth++) {
        const part = cell.path[depth]!;
        node = (node[part] ??= {}) as Row;
      }
      const raw = row[index];
      setOwn(node, cell.key, raw === null || raw === undefined ? null : cell.decode === undefined ? raw : cell.decode.mapFromDriverValue(raw));
    });
    for (const { key, cells: positions } of leaves) {
      if (positions.every((position) => row[position] === null || row[position] === undefined)) result[key] = null;
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
