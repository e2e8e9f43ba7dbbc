/**
 * `db.copyFrom()` and `db.copyTo()` on both lines: CrateDB's file import and export. Option names are CrateDB's own
 * (as in `withOptions`), checked with their value types before anything is sent; the URI and every option value go as
 * parameters, which CrateDB's grammar takes there (verified on 6.4.3). The list is the one CrateDB 6.4.3 accepts for
 * `file://` URIs (it refuses `validation` and `skip`, documented for older versions) plus `protocol` for `s3://`.
 *
 * The statement is rendered with the line's dialect in its "bare column" mode: CrateDB refuses table-qualified column
 * references in COPY's column list, PARTITION and WHERE ("A column must not have a schema or a table here").
 */
import { getTableColumns, sql, type Column, type SQL } from 'drizzle-orm';
import type { CrateClient } from '../driver/index.js';
import { CrateConfigError } from '../shared/errors.js';
import { checkOptionKeys, closestName } from '../shared/options.js';
import { describeValueType } from '../shared/sql-text.js';
import { columnTable, tableLabel } from './internals.js';

/** `WITH` options of `COPY ... FROM` (CrateDB's names). */
export interface CopyFromWithOptions {
  /** Input format; by default taken from the file extension, else JSON. */
  format?: 'json' | 'csv';
  /** `'gzip'` to read gzipped files. */
  compression?: 'gzip';
  /** Rows per batch CrateDB writes (default 10 000). */
  bulk_size?: number;
  /** Stop at the first error (best effort). */
  fail_fast?: boolean;
  /** false: CrateDB answers at once and imports in the background; the result is then empty. */
  wait_for_completion?: boolean;
  /** The URI is reachable from several nodes: each file is read once. */
  shared?: boolean;
  /** Nodes that read: regular expressions on node name and/or id. */
  node_filters?: { name?: string; id?: string };
  /** Number of nodes that read. */
  num_readers?: number;
  /** Replace rows whose primary key exists (default: they fail). */
  overwrite_duplicates?: boolean;
  /** CSV: empty strings become NULL. */
  empty_string_as_null?: boolean;
  /** CSV: the column separator, one character. */
  delimiter?: string;
  /** CSV: whether the first line names the columns (default true). */
  header?: boolean;
  /** `s3://` URIs only: `'https'` (default) or `'http'`. */
  protocol?: 'http' | 'https';
}

export interface CopyFromOptions extends CopyFromWithOptions {
  /** CSV: the table's columns the file's fields go to (with `header: false`: in file order). */
  columns?: readonly Column[];
  /** Import into this partition of a partitioned table: its partition columns by property name, with values. */
  partition?: Readonly<Record<string, unknown>>;
}

/** `WITH` options of `COPY ... TO DIRECTORY` (CrateDB's names). */
export interface CopyToWithOptions {
  compression?: 'gzip';
  /** `json_object` (default without `columns`) or `json_array` (default with them; needs them). */
  format?: 'json_object' | 'json_array';
  /** false: CrateDB answers at once and exports in the background; the row count is then -1. */
  wait_for_completion?: boolean;
  protocol?: 'http' | 'https';
}

export interface CopyToOptions extends CopyToWithOptions {
  /** Export only these columns (each line then is a JSON array, which COPY FROM cannot read back). */
  columns?: readonly Column[];
  /** Export only the rows matching this condition. */
  where?: SQL;
  /** Export only this partition: its partition columns by property name, with values. */
  partition?: Readonly<Record<string, unknown>>;
}

/** One file a node read, as `RETURN SUMMARY` reports it. */
export interface CopyFromFileResult {
  node: { id: string; name: string };
  uri: string;
  /** Rows imported; null when the file could not be read at all (see `errors`). */
  successCount: number | null;
  /** Rows refused; null when the file could not be read at all (see `errors`). */
  errorCount: number | null;
  /** By error message: how many rows failed with it, and the line numbers of the first 50 (1-based). */
  errors: Record<string, { count: number; lineNumbers: number[] }>;
}

/** What the COPY helpers need of a database: its dialect (to render) and its client (to send). */
export interface CopyRunner {
  dialect: { sqlToQuery(query: SQL, invokeSource?: 'indexes'): { sql: string; params: unknown[] } };
  client: CrateClient;
  /** The database's Drizzle logger, which sees COPY statements like any other. */
  logger?: { logQuery(query: string, params: unknown[]): void };
}

type OptionRule = { kind: 'boolean' } | { kind: 'count' } | { kind: 'enum'; values: readonly string[] } | { kind: 'char' } | { kind: 'nodeFilters' };

const FROM_RULES: Readonly<Record<keyof CopyFromWithOptions, OptionRule>> = {
  format: { kind: 'enum', values: ['json', 'csv'] },
  compression: { kind: 'enum', values: ['gzip'] },
  bulk_size: { kind: 'count' },
  fail_fast: { kind: 'boolean' },
  wait_for_completion: { kind: 'boolean' },
  shared: { kind: 'boolean' },
  node_filters: { kind: 'nodeFilters' },
  num_readers: { kind: 'count' },
  overwrite_duplicates: { kind: 'boolean' },
  empty_string_as_null: { kind: 'boolean' },
  delimiter: { kind: 'char' },
  header: { kind: 'boolean' },
  protocol: { kind: 'enum', values: ['http', 'https'] },
};

const TO_RULES: Readonly<Record<keyof CopyToWithOptions, OptionRule>> = {
  compression: { kind: 'enum', values: ['gzip'] },
  format: { kind: 'enum', values: ['json_object', 'json_array'] },
  wait_for_completion: { kind: 'boolean' },
  protocol: { kind: 'enum', values: ['http', 'https'] },
};

const CSV_ONLY = ['delimiter', 'header', 'empty_string_as_null', 'columns'] as const;

/** The `COPY ... FROM` statement; exported for tests. */
export function copyFromQuery(table: object, uri: string | readonly string[], options: CopyFromOptions = {}): { query: SQL; summary: boolean } {
  const where = `copyFrom(${tableLabel(table)})`;
  const { columns, partition, ...withOptions } = options;
  checkOptionKeys(where, options, [...Object.keys(FROM_RULES), 'columns', 'partition']);
  const uris = checkUris(where, uri, true);
  checkWithOptions(where, withOptions, FROM_RULES, uris);
  if (withOptions.format === 'json') {
    const csvOnly = CSV_ONLY.filter((name) => options[name] !== undefined);
    if (csvOnly.length > 0) throw new CrateConfigError(`${where}: ${csvOnly.join(', ')} apply to CSV files only, and format is 'json'`, csvOnly[0]);
  }
  const summary = withOptions.wait_for_completion !== false;
  const parts: SQL[] = [sql`copy ${table}`];
  if (partition !== undefined) parts.push(partitionClause(where, table, partition));
  if (columns !== undefined) parts.push(columnList(where, table, columns));
  parts.push(typeof uri !== 'string' ? sql` from ${sql`[${sql.join(uris.map((item) => sql`${item}`), sql`, `)}]`}` : sql` from ${uris[0]}`);
  const withClause = withOptionsClause(withOptions);
  if (withClause) parts.push(withClause);
  // CrateDB refuses RETURN SUMMARY with wait_for_completion = false: there is nothing to report yet.
  if (summary) parts.push(sql` return summary`);
  return { query: sql.join(parts, sql``), summary };
}

/** The `COPY ... TO DIRECTORY` statement; exported for tests. */
export function copyToQuery(table: object, uri: string, options: CopyToOptions = {}): SQL {
  const where = `copyTo(${tableLabel(table)})`;
  const { columns, where: condition, partition, ...withOptions } = options;
  checkOptionKeys(where, options, [...Object.keys(TO_RULES), 'columns', 'where', 'partition']);
  const [directory] = checkUris(where, uri, false);
  checkWithOptions(where, withOptions, TO_RULES, [directory!]);
  if (withOptions.format === 'json_array' && (columns === undefined || columns.length === 0)) {
    throw new CrateConfigError(`${where}: format 'json_array' needs columns (CrateDB: "Output format not supported without specifying columns")`, 'format');
  }
  const parts: SQL[] = [sql`copy ${table}`];
  if (partition !== undefined) parts.push(partitionClause(where, table, partition));
  if (columns !== undefined) parts.push(columnList(where, table, columns));
  if (condition !== undefined) parts.push(sql` where ${condition}`);
  parts.push(sql` to directory ${directory}`);
  const withClause = withOptionsClause(withOptions);
  if (withClause) parts.push(withClause);
  return sql.join(parts, sql``);
}

/** `db.copyFrom()`: runs the import and returns what each node reported per file (empty without waiting). */
export async function copyFrom(db: CopyRunner, table: object, uri: string | readonly string[], options: CopyFromOptions = {}): Promise<CopyFromFileResult[]> {
  const { query, summary } = copyFromQuery(table, uri, options);
  const result = await send(db, query);
  if (!summary) return [];
  const index = (name: string) => result.cols.indexOf(name);
  const [node, file, success, failed, errors] = ['node', 'uri', 'success_count', 'error_count', 'errors'].map(index) as [number, number, number, number, number];
  return result.rows.map((row) => ({
    node: { id: String((row[node] as { id?: unknown } | null)?.id ?? ''), name: String((row[node] as { name?: unknown } | null)?.name ?? '') },
    uri: String(row[file]),
    successCount: row[success] === null ? null : Number(row[success]),
    errorCount: row[failed] === null ? null : Number(row[failed]),
    errors: Object.fromEntries(
      Object.entries((row[errors] ?? {}) as Record<string, { count?: unknown; line_numbers?: unknown }>).map(([message, detail]) => [
        message,
        { count: Number(detail.count ?? 0), lineNumbers: Array.isArray(detail.line_numbers) ? detail.line_numbers.map(Number) : [] },
      ]),
    ),
  }));
}

/** `db.copyTo()`: runs the export and returns the number of rows written (-1 when not waiting). */
export async function copyTo(db: CopyRunner, table: object, uri: string, options: CopyToOptions = {}): Promise<number> {
  const result = await send(db, copyToQuery(table, uri, options));
  return result.rowCount;
}

async function send(db: CopyRunner, query: SQL): ReturnType<CrateClient['sql']> {
  const rendered = db.dialect.sqlToQuery(query, 'indexes');
  db.logger?.logQuery(rendered.sql, rendered.params);
  return db.client.sql(rendered.sql, rendered.params);
}

function checkUris(where: string, uri: string | readonly string[], many: boolean): string[] {
  const list = typeof uri === 'string' ? [uri] : Array.isArray(uri) && many ? [...(uri as readonly unknown[])] : undefined;
  if (list === undefined || list.length === 0 || list.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw new CrateConfigError(`${where}: the URI must be a non-empty string${many ? ' or a non-empty array of them' : ''} (file:///..., s3://..., https://...), not ${describe(uri)}`, 'uri');
  }
  return list as string[];
}

function checkWithOptions(where: string, options: Record<string, unknown>, rules: Readonly<Record<string, OptionRule>>, uris: readonly string[]): void {
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const rule = rules[name]!;
    const bad = (expected: string) => new CrateConfigError(`${where}: option ${name} must be ${expected}, not ${describe(value)}`, name);
    switch (rule.kind) {
      case 'boolean':
        if (typeof value !== 'boolean') throw bad('true or false');
        break;
      case 'count':
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw bad('a whole number ≥ 1');
        break;
      case 'enum':
        if (typeof value !== 'string' || !rule.values.includes(value)) {
          const close = typeof value === 'string' ? closestName(value, rule.values) : undefined;
          throw bad(`${rule.values.map((item) => `'${item}'`).join(' or ')}${close ? ` (did you mean '${close}'?)` : ''}`);
        }
        break;
      case 'char':
        if (typeof value !== 'string' || [...value].length !== 1) throw bad('one character');
        break;
      case 'nodeFilters': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad("an object { name?: '<regex>', id?: '<regex>' }");
        checkOptionKeys(where, value, ['name', 'id'], 'node_filters.');
        const entries = Object.entries(value).filter(([, item]) => item !== undefined);
        if (entries.length === 0 || entries.some(([, item]) => typeof item !== 'string')) throw bad('an object with a name and/or id regular expression');
        break;
      }
    }
  }
  if (options.protocol !== undefined && !uris.every((uri) => uri.toLowerCase().startsWith('s3://'))) {
    throw new CrateConfigError(`${where}: option protocol applies to s3:// URIs only; CrateDB refuses it for others`, 'protocol');
  }
}

function withOptionsClause(options: Record<string, unknown>): SQL | undefined {
  const entries = Object.entries(options).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return undefined;
  // Names come from the fixed lists above, never from the caller unchecked; values are parameters.
  const settings = entries.map(([name, value]) => {
    if (name === 'node_filters') {
      const filters = Object.entries(value as Record<string, string | undefined>).filter(([, item]) => item !== undefined);
      return sql`${sql.raw(name)} = {${sql.join(filters.map(([key, item]) => sql`${sql.raw(key)} = ${item}`), sql`, `)}}`;
    }
    return sql`${sql.raw(name)} = ${value}`;
  });
  return sql` with (${sql.join(settings, sql`, `)})`;
}

function columnList(where: string, table: object, columns: readonly Column[]): SQL {
  if (!Array.isArray(columns) || columns.length === 0) throw new CrateConfigError(`${where}: columns must be a non-empty array of the table's columns`, 'columns');
  const own = new Set<unknown>(Object.values(getTableColumns(table as never)));
  for (const column of columns) {
    if (!own.has(column)) {
      const name = (column as { name?: unknown } | null)?.name;
      throw new CrateConfigError(`${where}: columns: ${typeof name === 'string' ? `column "${name}"` : describe(column)} is not a column of ${tableLabel(table)}`, 'columns');
    }
  }
  return sql` (${sql.join(columns as Column[], sql`, `)})`;
}

function partitionClause(where: string, table: object, partition: Readonly<Record<string, unknown>>): SQL {
  const columns = getTableColumns(table as never) as Record<string, Column>;
  if (typeof partition !== 'object' || partition === null || Object.keys(partition).length === 0) {
    throw new CrateConfigError(`${where}: partition must name the partition columns with their values, e.g. { day: '2025-01-01' }`, 'partition');
  }
  checkOptionKeys(`${where}: partition`, partition, Object.keys(columns));
  const pairs = Object.entries(partition).map(([key, value]) => {
    const column = columns[key]!;
    if (columnTable(column) !== table) throw new CrateConfigError(`${where}: partition: ${key} is not a column of ${tableLabel(table)}`, 'partition');
    return sql`${column} = ${sql.param(value, column)}`;
  });
  return sql` partition (${sql.join(pairs, sql`, `)})`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeValueType(value);
}
