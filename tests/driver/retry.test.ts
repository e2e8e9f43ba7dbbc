import { describe, expect, it } from 'vitest';
import { backoffDelay, isReadOnlyStatement, verdictFor } from '../../src/driver/retry.js';

describe('isReadOnlyStatement', () => {
  const reads = [
    'SELECT 1',
    '  select * from t',
    '\n-- comment\nSELECT 1',
    '/* leading */ ((SELECT 1) UNION (SELECT 2))',
    'SHOW TABLES',
    'VALUES (1), (2)',
    'WITH x AS (SELECT 1) SELECT * FROM x',
    'EXPLAIN SELECT 1',
    'EXPLAIN VERBOSE SELECT 1',
    'EXPLAIN ANALYZE SELECT * FROM t',
    'explain (analyze true) select 1',
  ];
  const writes = [
    'INSERT INTO t (id) VALUES (1)',
    'UPDATE t SET a = 1',
    'DELETE FROM t',
    'COPY t FROM \'file:///x\'',
    'REFRESH TABLE t',
    'CREATE TABLE t (a int)',
    'SET search_path TO x',
    'KILL ALL',
    '-- SELECT\nDELETE FROM t',
    "/* SELECT */ INSERT INTO t VALUES ('SELECT')",
    'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x',
    'EXPLAIN ANALYZE INSERT INTO t VALUES (1)',
    'FETCH 10 FROM c',
    '',
    '   ',
    'selectx 1',
  ];
  for (const stmt of reads) it(`read: ${JSON.stringify(stmt)}`, () => expect(isReadOnlyStatement(stmt)).toBe(true));
  for (const stmt of writes) it(`write: ${JSON.stringify(stmt)}`, () => expect(isReadOnlyStatement(stmt)).toBe(false));

  it('ignores keywords inside strings and quoted identifiers of WITH statements', () => {
    expect(isReadOnlyStatement(`WITH x AS (SELECT 'insert into' AS "delete") SELECT * FROM x`)).toBe(true);
  });
});

describe('verdictFor', () => {
  it('retries anything that never left, and marks the server', () => {
    expect(verdictFor({ requestSent: false, responseTimeout: false }, false)).toEqual({ markInactive: true, retry: true, outcomeUnknown: false });
  });
  it('retries a sent read, never a sent write', () => {
    expect(verdictFor({ requestSent: true, responseTimeout: false }, true)).toEqual({ markInactive: true, retry: true, outcomeUnknown: false });
    expect(verdictFor({ requestSent: true, responseTimeout: false }, false)).toEqual({ markInactive: true, retry: false, outcomeUnknown: true });
  });
  it('neither retries nor marks after a response timeout', () => {
    expect(verdictFor({ requestSent: true, responseTimeout: true }, true)).toEqual({ markInactive: false, retry: false, outcomeUnknown: false });
    expect(verdictFor({ requestSent: true, responseTimeout: true }, false)).toEqual({ markInactive: false, retry: false, outcomeUnknown: true });
  });
});

describe('backoffDelay', () => {
  it('is 0, f, 2f, 4f, ... capped at 120 s', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, 100))).toEqual([0, 100, 200, 400, 800]);
    expect(backoffDelay(30, 100)).toBe(120_000);
    expect(backoffDelay(3, 0)).toBe(0);
  });
});
