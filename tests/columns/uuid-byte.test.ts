/** UUID and BYTE: the value rules and the DDL of both builders, on whichever line the suite runs. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { byte, crateTable, CrateSchemaError, CrateValueError, getCreateTableSql, integer, partitionedBy, smallint, text, uuid } from 'drizzle-cratedb';
import { codecFor } from '../../src/columns/values.js';
import { expectCrateSql } from '../support/grammar.js';

const where = () => 'column "t"."id"';
const uuidCodec = codecFor({ kind: 'uuid' });
const byteCodec = codecFor({ kind: 'integer', bits: 8 });

describe('uuid values', () => {
  it('sends the canonical form, lowercase, as the server returns it', () => {
    expect(uuidCodec.encode('55D07626-4927-47C5-BA43-A015C23632EF', where)).toBe('55d07626-4927-47c5-ba43-a015c23632ef');
  });

  it.each([
    ['1-2-3-4-5', 'the server would store 00000001-0002-…'],
    ['123456789-2222-3333-4444-555555555555', 'the server would cut the first group'],
    ['{55d07626-4927-47c5-ba43-a015c23632ef}', 'braces'],
    ['55d0762649274 7c5ba43a015c23632ef', 'no hyphens'],
    ['urn:uuid:55d07626-4927-47c5-ba43-a015c23632ef', 'a urn prefix'],
    ['', 'empty'],
    ['55d07626-4927-47c5-ba43-a015c23632eg', 'not hex'],
  ])('refuses %j (%s), naming the column', (value) => {
    expect(() => uuidCodec.encode(value, where)).toThrow(CrateValueError);
    expect(() => uuidCodec.encode(value, where)).toThrow(/column "t"."id"/);
  });

  it('refuses a number', () => {
    expect(() => uuidCodec.encode(42, where)).toThrow(/8-4-4-4-12/);
  });
});

describe('byte values', () => {
  it('takes -128..127', () => {
    expect(byteCodec.encode(-128, where)).toBe(-128);
    expect(byteCodec.encode(127, where)).toBe(127);
  });
  it.each([128, -129, 1.5, '12'])('refuses %j before sending', (value) => {
    expect(() => byteCodec.encode(value, where)).toThrow(CrateValueError);
  });
  it("names BYTE's range", () => {
    expect(() => byteCodec.encode(300, where)).toThrow(/BYTE's range -128\.\.127/);
  });
});

describe('UUID and BYTE columns in CREATE TABLE', () => {
  const table = crateTable('devices', {
    id: uuid().primaryKey().defaultRandom(),
    owner: uuid('owner').notNull().indexOff(),
    tags: uuid().array(),
    level: byte().columnstore(false),
    levels: byte().array(),
    fixed: uuid().default(sql`'7c2e2a0b-1a4f-4c1e-9a36-2f1b6c3c8d10'`),
  });

  it('writes UUID and BYTE, and no DEFAULT for defaultRandom()', () => {
    const ddl = getCreateTableSql(table);
    expect(ddl).toContain('"id" UUID');
    expect(ddl).toContain('"owner" UUID NOT NULL INDEX OFF');
    expect(ddl).toContain('"tags" ARRAY(UUID)');
    expect(ddl).toContain('"level" BYTE STORAGE WITH (columnstore = false)');
    expect(ddl).toContain('"levels" ARRAY(BYTE)');
    expect(ddl).not.toMatch(/"id" UUID[^,]*DEFAULT/);
    expectCrateSql(ddl);
  });

  it('fills a v4 UUID on the client for defaultRandom()', () => {
    const value = (table.id as unknown as { defaultFn: () => string }).defaultFn();
    expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a UUID partition column before sending', () => {
    const partitioned = () => getCreateTableSql(crateTable('events', { at: integer(), kind: uuid(), name: text() }, (t) => [partitionedBy(t.kind)]));
    expect(partitioned).toThrow(CrateSchemaError);
    expect(partitioned).toThrow(/cannot partition by UUID/);
  });

  it('keeps smallint as it was', () => {
    expect(getCreateTableSql(crateTable('s', { n: smallint() }))).toContain('"n" SMALLINT');
  });
});
