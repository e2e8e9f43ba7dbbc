import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient, CrateDBError, type CrateErrorKind } from '../../src/driver/index.js';
import { replies, startProtocolServer, type ProtocolServer, type Reply } from '../support/protocol-server.js';

let server: ProtocolServer;
let client: CrateClient;

beforeAll(async () => {
  server = await startProtocolServer();
  client = new CrateClient({ servers: server.url });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function failure(reply: Reply, stmt = 'INSERT INTO doc.t (id) VALUES (?)', args: unknown[] = [1], includeArgsInErrors = false): Promise<CrateDBError> {
  server.enqueue(reply);
  const error = await client.sql(stmt, args, { includeArgsInErrors }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrateDBError);
  return error as CrateDBError;
}

describe('error kinds from CrateDB error codes', () => {
  const cases: [number, string, CrateErrorKind][] = [
    [4091, 'DuplicateKeyException[A document with the same primary key exists already]', 'duplicate-key'],
    [4092, 'VersionConflictEngineException[[t][1]: version conflict]', 'version-conflict'],
    [4041, "RelationUnknown[Relation 'missing' unknown]", 'unknown-table'],
    [4045, "SchemaUnknownException[Schema 'foo' unknown]", 'unknown-schema'],
    [4043, 'ColumnUnknownException[Column nope unknown]', 'unknown-column'],
    [4000, "SQLParseException[line 1:1: mismatched input 'SELEC']", 'invalid-sql'],
    [4004, 'UnsupportedFeatureException[not supported]', 'unsupported'],
    [4011, 'MissingPrivilegeException[Missing privilege for user john]', 'forbidden'],
    [4031, 'ReadOnlyException[Only read operations allowed on this node]', 'forbidden'],
    [5000, 'ArithmeticException[/ by zero]', 'server-error'],
    [4093, "RelationAlreadyExists[Relation 'doc.t' already exists.]", 'other'],
  ];
  for (const [code, message, kind] of cases) {
    it(`${code} → ${kind}`, async () => {
      const error = await failure(replies.error(code, message));
      expect(error.kind).toBe(kind);
      expect(error.serverCode).toBe(code);
      expect(error.status).toBe(Number(String(code).slice(0, 3)));
      expect(error.serverMessage).toBe(message);
      expect(error.statement).toBe('INSERT INTO doc.t (id) VALUES (?)');
    });
  }

  it('formats a readable message with code, kind, server message and statement', async () => {
    const error = await failure(replies.error(4091, 'DuplicateKeyException[A document with the same primary key exists already]'));
    expect(error.message).toBe(
      'CrateDB error 4091 (duplicate-key): DuplicateKeyException[A document with the same primary key exists already] — in statement: INSERT INTO doc.t (id) VALUES (?)',
    );
  });

  it('truncates long statements in the message but keeps them whole on the error', async () => {
    const stmt = `INSERT INTO t (v) VALUES ${Array.from({ length: 200 }, (_, i) => `(${i})`).join(',\n  ')}`;
    const error = await failure(replies.error(4000, 'SQLParseException[boom]'), stmt, []);
    expect(error.statement).toBe(stmt);
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toMatch(/…$/);
  });

  it('includes args only when asked', async () => {
    const without = await failure(replies.error(4091, 'DuplicateKeyException[dup]'), undefined, ['secret-ish']);
    expect(without.args).toBeUndefined();
    expect(JSON.stringify(without)).not.toContain('secret-ish');
    const withArgs = await failure(replies.error(4091, 'DuplicateKeyException[dup]'), undefined, ['secret-ish'], true);
    expect(withArgs.args).toEqual(['secret-ish']);
  });
});

describe('non-JSON answers', () => {
  it('401 with a plain-text body → unauthorized', async () => {
    const error = await failure(replies.unauthorized('password authentication failed for user "john"'));
    expect(error.kind).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.serverCode).toBeUndefined();
    expect(error.serverMessage).toBe('password authentication failed for user "john"');
    expect(error.message).toContain('password authentication failed');
  });

  it('403 plain text → forbidden', async () => {
    const error = await failure({ status: 403, text: 'Forbidden' });
    expect(error.kind).toBe('forbidden');
  });

  it('a 200 with malformed JSON → bad-response with status and the start of the body', async () => {
    const error = await failure(replies.malformed(), 'SELECT a FROM t', []);
    expect(error.kind).toBe('bad-response');
    expect(error.status).toBe(200);
    expect(error.message).toContain('{"cols":["a"]');
  });

  it('an HTML error page → bad-response, body cut to ~200 characters', async () => {
    const page = `<html><body>${'x'.repeat(1000)}</body></html>`;
    const error = await failure({ status: 500, text: page, contentType: 'text/html' }, 'SELECT 1', []);
    expect(error.kind).toBe('bad-response');
    expect(error.status).toBe(500);
    expect(error.message).toContain('<html><body>xxx');
    expect(error.message.length).toBeLessThan(400);
  });

  it('a 200 JSON answer without rows → bad-response', async () => {
    const error = await failure({ json: { hello: 'world' } }, 'SELECT 1', []);
    expect(error.kind).toBe('bad-response');
  });
});
