/**
 * Request bodies for `POST /_sql`: `{stmt, args}` or `{stmt, bulk_args}`, values always as JSON parameters.
 * Compression belongs to the transports (Node's zlib, or CompressionStream elsewhere).
 */
import { checkArgs, checkBulkArgs, exactReplacer, findCycle } from './values.js';

/**
 * JSON text of a request body, after checking its values ({@link checkArgs}: a value JSON would change silently
 * throws a CrateValueError before anything is sent). Dates become ISO strings through `Date#toJSON`, which CrateDB
 * accepts for timestamps.
 *
 * Plain `JSON.stringify` runs first: it serves the common case at full speed, and it proves the values free of
 * cycles (it throws on one), so the check after it need not look for them. Bodies with bigints or typed arrays go
 * through the slower replacer.
 */
export function serializeRequestBody(payload: { stmt: string; args?: readonly unknown[]; bulk_args?: readonly (readonly unknown[])[] }): string {
  let text: string;
  let exact = false;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    // A bigint (plain JSON.stringify cannot write one) or a cycle (nothing can).
    if (!(error instanceof TypeError)) throw error;
    try {
      text = JSON.stringify(payload, exactReplacer);
      exact = true;
    } catch (again) {
      throw (again instanceof TypeError && findCycle(payload)) || again;
    }
  }
  const scan = payload.bulk_args ? checkBulkArgs(payload.bulk_args, payload.stmt) : payload.args ? checkArgs(payload.args, payload.stmt) : undefined;
  return scan?.needsReplacer && !exact ? JSON.stringify(payload, exactReplacer) : text;
}
