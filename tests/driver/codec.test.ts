import { describe, expect, it } from 'vitest';
import { ColTypeId, decodeRows, decoderFor, parseJson } from '../../src/driver/decode.js';
import { serializeRequestBody } from '../../src/driver/encode.js';

describe('parseJson', () => {
  it('keeps integers beyond 2^53 exact', () => {
    expect(parseJson('[9007199254740993,-9223372036854775808,9007199254740991]', 'bigint')).toEqual([9007199254740993n, -9223372036854775808n, 9007199254740991]);
    expect(parseJson('{"a":{"b":[12345678901234567890]}}', 'string')).toEqual({ a: { b: ['12345678901234567890'] } });
  });

  it('leaves doubles alone, also long ones and those in exponent form', () => {
    expect(parseJson('[0.30000000000000004,1.0E20,1e300,12345678901234567.5]', 'bigint')).toEqual([0.30000000000000004, 1e20, 1e300, 12345678901234567.5]);
  });

  it('finds an unsafe integer wherever it sits in the text', () => {
    for (let offset = 0; offset < 40; offset++) {
      expect(parseJson(`${' '.repeat(offset)}[9007199254740993]`, 'bigint')).toEqual([9007199254740993n]);
      expect(parseJson(`[${'1,'.repeat(offset)}-9007199254740993]`, 'bigint')).toEqual([...Array(offset).fill(1), -9007199254740993n]);
    }
    expect(parseJson('9007199254740993', 'bigint')).toBe(9007199254740993n);
  });

  it('leaves digit runs inside strings alone', () => {
    expect(parseJson('["12345678901234567890"]', 'bigint')).toEqual(['12345678901234567890']);
  });
});

describe('decoders', () => {
  it('needs none for types JSON already represents', () => {
    for (const type of [ColTypeId.TEXT, ColTypeId.INTEGER, ColTypeId.BIGINT, ColTypeId.OBJECT, ColTypeId.GEO_POINT, ColTypeId.GEO_SHAPE, ColTypeId.BOOLEAN]) {
      expect(decoderFor(type)).toBeUndefined();
    }
    expect(decoderFor([100, ColTypeId.TEXT])).toBeUndefined();
    expect(decoderFor([100, [100, ColTypeId.GEO_POINT]])).toBeUndefined();
  });

  it('turns timestamps, dates and arrays of them into Date, keeping nulls', () => {
    const rows: unknown[][] = [[0, 86_400_000, 1, [1, null], null, 'x']];
    decodeRows(rows, [ColTypeId.TIMESTAMP_TZ, ColTypeId.DATE, ColTypeId.TIMESTAMP, [100, ColTypeId.TIMESTAMP_TZ], ColTypeId.TIMESTAMP, ColTypeId.TEXT]);
    expect(rows).toEqual([[new Date(0), new Date(86_400_000), new Date(1), [new Date(1), null], null, 'x']]);
  });
});

describe('serializeRequestBody', () => {
  it('writes bigints as exact numbers, also nested', () => {
    expect(serializeRequestBody({ stmt: 's', args: [1n, [2n ** 64n], { x: -3n }] })).toBe('{"stmt":"s","args":[1,[18446744073709551616],{"x":-3}]}');
  });
  it('writes dates as ISO strings', () => {
    expect(serializeRequestBody({ stmt: 's', args: [new Date(0)] })).toBe('{"stmt":"s","args":["1970-01-01T00:00:00.000Z"]}');
  });
  it('still rejects what JSON cannot express, saying where', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => serializeRequestBody({ stmt: 's', args: [cyclic] })).toThrow(/^\$1\.self: a circular structure/);
  });
});
