/**
 * CrateDB's own grammar (the ANTLR parser of CrateDB 6.1, packaged as @cratedb/cratedb-sqlparse) as a test oracle:
 * every statement the package emits is parsed here. One statement per call, since the parser's error attribution
 * degrades across statements.
 */
import { sqlparse } from '@cratedb/cratedb-sqlparse';
import { expect } from 'vitest';

/**
 * Statements of CrateDB 6.2+ that the 6.1 grammar lacks (sql-grammar-oracle.md lists them as false negatives), checked
 * by their exact form instead.
 */
const NEWER_THAN_PARSER = [/^CREATE SCHEMA IF NOT EXISTS "(?:[^"]|"")+"$/, /^DROP SCHEMA IF EXISTS "(?:[^"]|"")+"$/];

export function parseCrateSql(statement: string): { ok: true } | { ok: false; error: string } {
  if (NEWER_THAN_PARSER.some((form) => form.test(statement.trim()))) return { ok: true };
  const statements = sqlparse(statement);
  if (statements.length !== 1) return { ok: false, error: `expected one statement, the parser saw ${statements.length}` };
  const exception = statements[0]!.exception;
  return exception ? { ok: false, error: exception.errorMessage ?? String(exception) } : { ok: true };
}

/** Fails the test with CrateDB's parse error when `statement` is not valid CrateDB SQL. */
export function expectCrateSql(statement: string): void {
  const result = parseCrateSql(statement);
  expect(result, `CrateDB's grammar rejects:\n${statement}`).toEqual({ ok: true });
}
