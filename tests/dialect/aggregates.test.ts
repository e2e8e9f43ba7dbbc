/** The aggregates of drizzle-cratedb: typed numbers, mapped from what the transport decodes, refused where CrateDB fails. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { avg, crateTable, CrateUnsupportedError, CrateValueError, drizzle, geometricMean, integer, numeric, percentile, stddev, sum, variance } from 'drizzle-cratedb';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';

const orders = crateTable('orders', { n: integer(), price: numeric({ precision: 10, scale: 2 }) });
const db = drizzle({ client: recordingClient().client });
const decode = (query: { mapWith?: unknown; decoder?: { mapFromDriverValue(value: unknown): unknown } }, value: unknown) =>
  (query as unknown as { decoder: { mapFromDriverValue(value: unknown): unknown } }).decoder.mapFromDriverValue(value);

describe('aggregates typed as CrateDB returns them', () => {
  it('type avg, sum, stddev, variance and percentile as numbers', () => {
    const query = db.select({
      avg: avg(orders.n),
      sum: sum(orders.n),
      exact: sum(orders.n, { mode: 'bigint' }),
      stddev: stddev(orders.n),
      variance: variance(orders.n),
      mean: geometricMean(orders.n),
      median: percentile(orders.n, 0.5),
      quartiles: percentile(orders.n, [0.25, 0.75]),
    }).from(orders);
    expectTypeOf<Awaited<typeof query>[number]>().toEqualTypeOf<{
      avg: number | null;
      sum: number | null;
      exact: bigint | null;
      stddev: number | null;
      variance: number | null;
      mean: number | null;
      median: number | null;
      quartiles: number[] | null;
    }>();
    const { sql } = query.toSQL();
    expectCrateSql(sql);
    expect(sql).toContain('percentile("n", [0.25, 0.75])');
  });

  it('map what the transport decodes to numbers, refusing to round a sum beyond 2^53', () => {
    expect(decode(avg(orders.n), 25)).toBe(25);
    expect(decode(sum(orders.n), 2147483650)).toBe(2147483650);
    expect(() => decode(sum(orders.n), 18014398509481987n)).toThrow(CrateValueError);
    expect(decode(sum(orders.n, { mode: 'bigint' }), 18014398509481987n)).toBe(18014398509481987n);
    expect(decode(sum(orders.n, { mode: 'bigint' }), 12)).toBe(12n);
    expect(decode(percentile(orders.n, [0.5, 1]), [2.5, 4])).toEqual([2.5, 4]);
  });

  it('refuses variance, percentile and geometricMean of a NUMERIC, which CrateDB 6.4 fails', () => {
    expect(() => variance(orders.price)).toThrow(CrateUnsupportedError);
    expect(() => percentile(orders.price, 0.5)).toThrow(/double precision/);
    expect(() => geometricMean(orders.price)).toThrow(CrateUnsupportedError);
    expect(() => percentile(orders.n, 2)).toThrow(/from 0 to 1/);
  });
});
