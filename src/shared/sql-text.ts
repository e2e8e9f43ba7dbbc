/**
 * SQL text for identifiers and literals, where CrateDB takes no parameters (DDL, subscripts, WITH options), and the
 * few statements every part of the package writes the same way. The one place that knows CrateDB's quoting.
 */
import { CrateValueError } from './errors.js';

/** The schema unqualified table names resolve in unless the connection sets `Default-Schema`. */
export const DEFAULT_SCHEMA = 'doc';

/** `"name"`, with embedded double quotes doubled. */
export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** `name` when CrateDB would read it unquoted as the same name (lower case, no keyword risk checked), else `"name"`. */
export function quoteIfNeeded(identifier: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(identifier) ? identifier : quote(identifier);
}

/** A value as a CrateDB literal: strings quoted, arrays `[...]`, objects `{"key" = value}`. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'number':
      if (!Number.isFinite(value)) throw new CrateValueError('SQL literal', `${value} cannot be written as a CrateDB literal`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      if (value instanceof Date) {
        const millis = value.getTime();
        if (Number.isNaN(millis)) throw new CrateValueError('SQL literal', 'an invalid Date cannot be written as a literal');
        return String(millis);
      }
      if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
      if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${quote(key)} = ${literal(item)}`);
        return `{${entries.join(', ')}}`;
      }
      throw new CrateValueError('SQL literal', `a ${describeValueType(value)} cannot be written as a CrateDB literal`);
  }
}

/** `"schema"."table"`, or `"table"` when no schema is given (the connection's default schema applies). */
export function qualifiedName(table: { readonly name: string; readonly schema?: string | undefined }): string {
  return table.schema ? `${quote(table.schema)}.${quote(table.name)}` : quote(table.name);
}

/** `"details"['address']['zip']`: a column and its sub-column keys, as CrateDB reads them in DDL and DML. */
export function columnPath(path: readonly string[]): string {
  return `${quote(path[0]!)}${subscripts(path.slice(1))}`;
}

/** `['a']['b']`: object subscripts; keys are literals, since CrateDB takes no parameters inside subscripts. */
export function subscripts(keys: readonly string[]): string {
  return keys.map((key) => `[${literal(key)}]`).join('');
}

/** Setting names with dots must be quoted ("Nested parameters ... need to be wrapped in double quotes"). */
export function settingKey(key: string): string {
  return key.includes('.') ? quote(key) : key;
}

/** `REFRESH TABLE t1, t2`: makes recent writes visible to searches. Names are deduplicated, order kept. */
export function refreshTableSql(tables: readonly { readonly name: string; readonly schema?: string | undefined }[]): string {
  const names = [...new Set(tables.map(qualifiedName))];
  return `REFRESH TABLE ${names.join(', ')}`;
}

/** A value's type as a person would name it in an error: `Map`, `function`, `array`, `null`. */
export function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? name : 'object';
  }
  return typeof value;
}
