/**
 * What a blob table name and a blob digest must look like, checked before either goes into a URL or a statement. Free
 * of Node-only imports: the DDL helpers use it on every runtime.
 */
import { CrateArgumentError } from '../shared/errors.js';

const DIGEST = /^[0-9a-fA-F]{40}$/;
/** Characters CrateDB refuses in table names (its index-name rule), and the URL's own delimiters. */
const BAD_TABLE_CHARS = /[\\/*?"<>|\s,#.%]/;

/** Checks a blob table name before it goes into a URL or a statement; returns it unchanged. */
export function checkBlobTableName(table: unknown, where: string): string {
  if (typeof table !== 'string' || table === '') throw new CrateArgumentError(`${where}: the blob table name must be a non-empty string, not ${JSON.stringify(table) ?? String(table)}`);
  if (BAD_TABLE_CHARS.test(table) || table.startsWith('_')) {
    throw new CrateArgumentError(
      `${where}: "${table}" is not a blob table name CrateDB accepts (no leading '_', no '.', whitespace, or any of \\ / * ? " < > | , # %); blob tables live in the schema "blob", so give the name without it`,
    );
  }
  return table;
}

/** A digest as CrateDB names blobs: 40 hex digits, lower case (CrateDB answers 404 for the upper-case form). */
export function normalizeDigest(digest: unknown, where: string): string {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw new CrateArgumentError(`${where}: a blob digest is the SHA-1 of the content as 40 hex digits, not ${JSON.stringify(digest) ?? String(digest)}`);
  }
  return digest.toLowerCase();
}
