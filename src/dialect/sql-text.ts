/** SQL text for identifiers and literals, where CrateDB takes no parameters (DDL, subscripts, WITH options). */

export function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** A value as a CrateDB literal: strings quoted, arrays `[...]`, objects `{"key" = value}`. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as a SQL literal`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      if (value instanceof Date) return String(value.getTime());
      if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
      if (typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => `${quote(key)} = ${literal(item)}`);
        return `{${entries.join(', ')}}`;
      }
      throw new TypeError(`cannot write a ${typeof value} as a SQL literal`);
  }
}


/** `"details"['address']['zip']`: a column and its sub-column keys, as CrateDB reads them in DDL and DML. */
export function columnPath(path: readonly string[]): string {
  return `${quote(path[0]!)}${subscripts(path.slice(1))}`;
}

/** `['a']['b']`: object subscripts; keys are literals, since CrateDB takes no parameters inside subscripts. */
export function subscripts(keys: readonly string[]): string {
  return keys.map((key) => `[${literal(key)}]`).join('');
}
