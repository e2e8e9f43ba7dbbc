import { describe, expect, it } from 'vitest';
import { backoffDelay, isReadOnlyStatement, transientRetryDelay, verdictFor } from '../../src/driver/retry.js';
import { transientClusterError } from '../../src/driver/transient.js';

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

  // Input that a careless lexer gets wrong; each answer is the one the driver has always given.
  const trickyReads = [
    '-- insert into t\nSELECT 1',
    '/* delete */SELECT 1',
    '/* two\nlines: drop table t */ select 1',
    '/* a */ -- b\n /* c */ ((  select 1))',
    '\t\r\n  select 1',
    'with x as (select 1) select * from x',
    'WITH "insert" AS (SELECT 1) SELECT * FROM "insert"',
    `WITH x AS (SELECT 'it''s; DELETE FROM t' AS s) SELECT s FROM x`,
    'WITH x AS (SELECT "a""delete" FROM t) SELECT * FROM x',
    'WITH x AS (SELECT 1 -- insert\n) SELECT * FROM x',
    'WITH x AS (SELECT 1 /* drop */) SELECT * FROM x',
    'EXPLAIN /* analyze */ VALUES (1)',
    'explain analyze select 1',
    // `$` is not part of a word in CrateDB: this is SELECT followed by a parameter.
    'SELECT$1',
    'SELECT 1e5, .5, 1_000',
  ];
  const trickyWrites = [
    '-- SELECT 1',
    '/* SELECT 1 */',
    '/* unterminated SELECT 1',
    "'SELECT'",
    '"select" FROM t',
    'select1',
    '_select 1',
    'with x as (select 1) insert into t select * from x',
    'WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x)',
    'WITH x AS (SELECT 1) SELECT * FROM x; DELETE FROM t',
    // Conservative: a WITH without a SELECT, and an EXPLAIN ANALYZE of anything but a SELECT.
    'WITH x AS (VALUES (1)) VALUES (2)',
    'explain analyze delete from t',
    'EXPLAIN (ANALYZE) VALUES (1)',
    'EXPLAIN ANALYZE',
    `WITH x AS (SELECT 'a') UPDATE t SET a = 'select'`,
  ];
  for (const stmt of trickyReads) it(`read: ${JSON.stringify(stmt)}`, () => expect(isReadOnlyStatement(stmt)).toBe(true));
  for (const stmt of trickyWrites) it(`write: ${JSON.stringify(stmt)}`, () => expect(isReadOnlyStatement(stmt)).toBe(false));
});

describe('verdictFor', () => {
  const idempotent = true;
  const write = false;
  it('retries anything that never left, even a write, and sets the server aside', () => {
    for (const type of ['transport', 'hung'] as const) {
      expect(verdictFor({ type, requestSent: false }, write)).toEqual({ markInactive: true, retry: true, outcomeUnknown: false });
    }
  });
  it('retries a sent read, never a sent write, after a lost connection or a hung server', () => {
    for (const type of ['transport', 'hung'] as const) {
      expect(verdictFor({ type, requestSent: true }, idempotent)).toEqual({ markInactive: true, retry: true, outcomeUnknown: false });
      expect(verdictFor({ type, requestSent: true }, write)).toEqual({ markInactive: true, retry: false, outcomeUnknown: true });
    }
  });
  it('sets a 502/503/504 server aside; retries reads only', () => {
    expect(verdictFor({ type: 'unavailable' }, idempotent)).toEqual({ markInactive: true, retry: true, outcomeUnknown: false });
    expect(verdictFor({ type: 'unavailable' }, write)).toEqual({ markInactive: true, retry: false, outcomeUnknown: true });
  });
  it('keeps a server that answered with a transient cluster error; a write hit by one may have been applied', () => {
    expect(verdictFor({ type: 'transient' }, idempotent)).toEqual({ markInactive: false, retry: true, outcomeUnknown: false });
    expect(verdictFor({ type: 'transient' }, write)).toEqual({ markInactive: false, retry: false, outcomeUnknown: true });
  });
  it('neither retries nor sets aside when the caller\'s timeout passes', () => {
    expect(verdictFor({ type: 'deadline', requestSent: true }, idempotent)).toEqual({ markInactive: false, retry: false, outcomeUnknown: false });
    expect(verdictFor({ type: 'deadline', requestSent: true }, write)).toEqual({ markInactive: false, retry: false, outcomeUnknown: true });
    expect(verdictFor({ type: 'deadline', requestSent: false }, write)).toEqual({ markInactive: false, retry: false, outcomeUnknown: false });
  });
});

describe('transientClusterError', () => {
  // Messages as CrateDB 6.4.3 sends them (SimpleClassName[message], Exceptions.userFriendlyMessage).
  const transient = [
    ['NodeNotConnectedException[[t2][127.0.0.1:4302] Node not connected]', 'NodeNotConnectedException'],
    ['NoSuchNodeException[No such node [aBcD1234]]', 'NoSuchNodeException'],
    ['JobKilledException[Job killed. Participating node aBcD_12-x disconnected]', 'JobKilledException'],
    ['JobKilledException[Job killed. Coordinator node aBcD_12-x disconnected]', 'JobKilledException'],
    ['JobKilledException[Job killed. TasksService stopped]', 'JobKilledException'],
    [
      'JobKilledException[Job killed. Received result for job=e1c94e56-cdbc-c4d3-e720-4dd33a47fe2e but there is no context for this job due to a failure during the setup.]',
      'JobKilledException',
    ],
    [
      'JobKilledException[Job killed. Received data for job=e1c94e56-cdbc-c4d3-e720-4dd33a47fe2e but there is no job context present. This can happen due to bad network latency or if individual nodes are unresponsive due to high load]',
      'JobKilledException',
    ],
    ['IndexNotFoundException[no such index [.partitioned.t.04132]]', 'IndexNotFoundException'],
    ['ShardNotFoundException[no such shard]', 'ShardNotFoundException'],
    ['NoShardAvailableActionException[[t][3] no shard available]', 'NoShardAvailableActionException'],
    ['UnavailableShardsException[[t][1] primary shard is not active Timeout: [1m]]', 'UnavailableShardsException'],
    ['NodeDisconnectedException[[n2][127.0.0.1:4302][internal:crate:sql/sys/nodes] disconnected]', 'NodeDisconnectedException'],
    ['NodeClosedException[node closed {n2}]', 'NodeClosedException'],
    ['SQLParseException[Unknown node: foSaCy_0TQetQxQ5afbETA]', 'SQLParseException'],
    ['ConnectTransportException[[n2][127.0.0.1:4302] connect_exception]', 'ConnectTransportException'],
  ] as const;
  for (const [message, name] of transient) it(`transient: ${message}`, () => expect(transientClusterError(message)).toBe(name));

  const final = [
    'JobKilledException[Job killed. KILL invoked by user: crate]',
    'JobKilledException[Job killed. statement_timeout (1s/exec)]',
    'JobKilledException[Job killed. Cancellation request by: crate]',
    'JobKilledException[Job killed]',
    'ArithmeticException[/ by zero]',
    "RelationUnknown[Relation 'missing' unknown]",
    'SQLParseException[NodeNotConnectedException[fake]]',
    "SQLParseException[line 1:8: mismatched input 'Unknown' expecting {<EOF>}]",
    'SQLParseException[Unknown node: a] and more]',
    'ClusterBlockException[index [t] blocked by: [FORBIDDEN/12/index read-only / allow delete (api)];]',
    'not CrateDB at all',
  ];
  for (const message of final) it(`final: ${message}`, () => expect(transientClusterError(message)).toBeUndefined());
});

describe('transientRetryDelay', () => {
  it('doubles from 50 ms up to 1 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(transientRetryDelay)).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
  });
});

describe('backoffDelay', () => {
  it('is 0, f, 2f, 4f, ... capped at 120 s', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, 100))).toEqual([0, 100, 200, 400, 800]);
    expect(backoffDelay(30, 100)).toBe(120_000);
    expect(backoffDelay(3, 0)).toBe(0);
  });
});
