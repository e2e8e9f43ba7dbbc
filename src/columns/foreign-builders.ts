/**
 * A column map may only hold drizzle-cratedb builders. pg-core's builders would create columns CrateDB cannot store
 * as declared (serial, identity, json), so they are refused with what to use instead.
 */
import { CrateSchemaError } from '../shared/errors.js';

export function foreignBuilderError(table: string, key: string, builder: unknown): CrateSchemaError {
  const config = (builder as { config?: { columnType?: string; generatedIdentity?: unknown } } | null)?.config;
  const type = config?.columnType ?? typeof builder;
  if (/Serial$/.test(type) || config?.generatedIdentity) {
    return new CrateSchemaError(
      { table, column: key },
      'no-sequence',
      `${type} (serial / identity) is not supported: CrateDB has no sequences. Use text().primaryKey().defaultRandom() ` +
        '(gen_random_text_uuid()), or a timestamp, or an id made by the application',
    );
  }
  return new CrateSchemaError(
    { table, column: key },
    'column-builder',
    `${type} is not a drizzle-cratedb column; import the column builders from drizzle-cratedb (text, integer, object, ...)`,
  );
}
