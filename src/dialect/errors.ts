/**
 * Raised before anything is sent when a query or schema asks for something CrateDB cannot do.
 * `construct` names the offending piece (e.g. `delete().returning()`), the message says what to do instead.
 */
export class CrateUnsupportedError extends Error {
  override readonly name = 'CrateUnsupportedError';
  readonly construct: string;

  constructor(construct: string, advice: string) {
    super(`CrateDB does not support ${construct}. ${advice}`);
    this.construct = construct;
  }
}

/**
 * Raised when a schema definition breaks a CrateDB rule. The message names the table, the column (when there is one)
 * and the rule, so the fix can be found without reading a stack trace.
 */
export class CrateSchemaError extends Error {
  override readonly name = 'CrateSchemaError';
  readonly table: string | undefined;
  readonly column: string | undefined;

  constructor(where: { table?: string | undefined; column?: string | undefined }, rule: string) {
    const place = [
      where.table === undefined ? undefined : `table "${where.table}"`,
      where.column === undefined ? undefined : `column "${where.column}"`,
    ].filter(Boolean).join(', ');
    super(place ? `${place}: ${rule}` : rule);
    this.table = where.table;
    this.column = where.column;
  }
}
