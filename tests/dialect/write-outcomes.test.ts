/**
 * Nothing lost silently, nothing claimed that did not happen: a multi-row insert whose count falls short, a bulk
 * write that stops part-way, and `limit`/`offset` values pg-core would drop from the statement. Runs on both lines.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  BulkWriteError,
  CrateArgumentError,
  CrateConfigError,
  CrateDBError,
  crateErrorOf,
  crateTable,
  drizzle,
  InsertRowCountError,
  integer,
  isCrateError,
  text,
} from 'drizzle-cratedb';
import { recordingClient, type RecordedCall } from '../support/recording-client.js';

const scores = crateTable('scores', {
  id: text().primaryKey(),
  points: integer(),
});
const rows = [
  { id: 'a', points: 1 },
  { id: 'b', points: 2 },
  { id: 'c', points: 3 },
];

/** Calls the query and returns the error it throws, unwrapped from v1's DrizzleQueryError. */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return crateErrorOf(error) ?? error;
  }
  throw new Error('expected the call to fail');
}

describe('a multi-row insert is checked against the row count CrateDB reports', () => {
  it('fewer rows written than sent fails with the table and both counts', async () => {
    // CrateDB answers HTTP 200 with a smaller count when it refuses some rows of a VALUES list (measured on 6.4.3).
    const { client, calls } = recordingClient(() => ({ rowCount: 2 }));
    const error = await failure(() => drizzle({ client }).insert(scores).values(rows));
    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(InsertRowCountError);
    expect(error).toMatchObject({ code: 'CRATE_ERR_PARTIAL_WRITE', table: 'scores', sentRows: 3, writtenRows: 2 });
    expect((error as Error).message).toMatch(/wrote 2 of 3 rows.*bulkInsert/s);
  });

  it('returning() with fewer rows back than sent fails the same way', async () => {
    const { client } = recordingClient(() => ({ cols: ['id'], rows: [['a']], rowCount: 1 }));
    const error = await failure(() => drizzle({ client }).insert(scores).values(rows).returning({ id: scores.id }));
    expect(error).toMatchObject({ name: 'InsertRowCountError', sentRows: 3, writtenRows: 1 });
  });

  it('a full count passes, and onConflictDoNothing explains a short one', async () => {
    const full = recordingClient();
    await expect(drizzle({ client: full.client }).insert(scores).values(rows)).resolves.toMatchObject({ rowCount: 3 });

    const skipped = recordingClient(() => ({ rowCount: 1 }));
    const result = await drizzle({ client: skipped.client }).insert(scores).values(rows).onConflictDoNothing();
    expect(result).toMatchObject({ rowCount: 1 });
    expect(skipped.calls[0]!.stmt).toMatch(/on conflict do nothing/i);
  });
});

describe('a bulk write that stops part-way says what was written', () => {
  /** A recording client whose `bulk()` fails with `error` on the call numbered `failOn` (0-based). */
  function failingBulk(failOn: number, error: Error) {
    const { client, calls } = recordingClient();
    let call = 0;
    const bulk = client.bulk.bind(client);
    Object.assign(client, {
      bulk: async (stmt: string, args: readonly (readonly unknown[])[]) => {
        if (call++ === failOn) {
          calls.push({ stmt, args: [], bulkArgs: args } satisfies RecordedCall);
          throw error;
        }
        return bulk(stmt, args);
      },
    });
    return { client, calls };
  }

  const many = Array.from({ length: 7 }, (_, i) => ({ id: `r${i}`, points: i }));

  it('a later chunk lost in flight: earlier outcomes kept, the rest unsent, outcome unknown', async () => {
    const lost = new CrateDBError('connection reset', { kind: 'connection', outcomeUnknown: true });
    const { client, calls } = failingBulk(1, lost);
    const error = await failure(() => drizzle({ client }).bulkInsert(scores, many, { chunkSize: 3 }));
    expect(calls.map((call) => call.bulkArgs?.length)).toEqual([3, 3]);
    expect(error).toBeInstanceOf(BulkWriteError);
    const stopped = error as BulkWriteError;
    expect(stopped).toMatchObject({ code: 'CRATE_ERR_PARTIAL_WRITE', unsentFrom: 3, total: 7, outcomeUnknown: true });
    expect(stopped.written.results).toHaveLength(3);
    expect(stopped.written.rowCount).toBe(3);
    expect(stopped.cause).toBe(lost);
    expect(stopped.message).toMatch(/stopped at row 3 of 7.*may or may not have been applied/);
  });

  it('a later chunk refused before it ran: not applied', async () => {
    const refused = new CrateDBError('statement refused', { kind: 'server-error', serverCode: 4000 });
    const { client } = failingBulk(2, refused);
    const error = (await failure(() => drizzle({ client }).bulkInsert(scores, many, { chunkSize: 3 }))) as BulkWriteError;
    expect(error).toMatchObject({ unsentFrom: 6, outcomeUnknown: false });
    expect(error.written.results).toHaveLength(6);
    expect(error.message).toMatch(/was not applied/);
  });

  it('the first chunk failing is the plain error: nothing was written', async () => {
    const refused = new CrateDBError('statement refused', { kind: 'server-error', serverCode: 4000 });
    const { client } = failingBulk(0, refused);
    expect(await failure(() => drizzle({ client }).bulkInsert(scores, many, { chunkSize: 3 }))).toBe(refused);
  });
});

describe('limit and offset that pg-core would leave out of the statement are refused', () => {
  it.each([
    ['limit', NaN],
    ['limit', -1],
    ['limit', 1.5],
    ['limit', Infinity],
    ['offset', -5],
    ['offset', NaN],
  ] as const)('%s(%s)', (clause, value) => {
    const { client, calls } = recordingClient();
    const db = drizzle({ client });
    const query = () => (clause === 'limit' ? db.select().from(scores).limit(value) : db.select().from(scores).offset(value)).toSQL();
    expect(query).toThrow(CrateArgumentError);
    expect(query).toThrow(new RegExp(`${clause}\\(${String(value)}\\): ${clause} must be a whole number`));
    expect(calls).toHaveLength(0);
  });

  it('0, whole numbers and placeholders pass', () => {
    const db = drizzle({ client: recordingClient().client });
    expect(db.select().from(scores).limit(0).toSQL()).toMatchObject({ sql: expect.stringMatching(/limit \$1$/), params: [0] });
    expect(db.select().from(scores).limit(2).offset(3).toSQL()).toMatchObject({ sql: expect.stringMatching(/limit \$1 offset \$2$/), params: [2, 3] });
    expect(db.select().from(scores).limit(sql.placeholder('n')).toSQL().sql).toMatch(/limit \$1/);
  });
});

describe('drizzle() options are checked by name', () => {
  it('a misspelt option is refused with the name probably meant', () => {
    const { client } = recordingClient();
    const call = () => drizzle({ client, loger: true } as never);
    expect(call).toThrow(CrateConfigError);
    expect(call).toThrow(/loger.*logger/);
  });

  it('every refusal is a CrateError with a stable code', () => {
    try {
      drizzle({ client: recordingClient().client, relation: {} } as never);
      expect.unreachable();
    } catch (error) {
      expect(isCrateError(error)).toBe(true);
      expect((error as { code: string }).code).toBe('CRATE_ERR_CONFIG');
    }
  });
});
