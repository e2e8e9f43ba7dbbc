/**
 * Streaming reads for both Drizzle lines: `.iterator()` on a CrateDB database's select builders and
 * `db.iterator(sql...)`. Rows come from `client.cursor()` one batch at a time and are mapped batch by batch with the
 * mapper `execute()` uses, so at most one batch of rows (raw and mapped) is held at once. Each line only says how its
 * prepared query maps a batch.
 */
import { fillPlaceholders, type Logger, type Query, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { CrateClient, CursorBatch } from '../driver/index.js';
import { CrateArgumentError } from '../shared/errors.js';
import { rowsAsObjects } from './query-result.js';

export interface IteratorOptions {
  /** Rows fetched per round trip, and so the most rows held in memory at once. Default 1000. */
  batchSize?: number;
  /** Aborting closes the cursor and ends the loop with the signal's reason. */
  signal?: AbortSignal;
  /** Values for `sql.placeholder()`s, as `execute()` takes them. */
  placeholders?: Record<string, unknown>;
}

/** What a line hands over for one select: its statement and how to map one batch of rows as `execute()` would. */
export interface PreparedIteration<TRow> {
  query: Query;
  mapBatch(batch: CursorBatch): TRow[];
}

/** The parts of a line's CrateSession an iteration needs. */
interface IteratingSession {
  client: CrateClient;
  logger: Logger;
}

function sessionOf(owner: unknown, what: string): IteratingSession {
  const session = (owner as { session?: Partial<IteratingSession> } | null)?.session;
  if (!session || typeof session.client?.cursor !== 'function' || !session.logger) {
    throw new CrateArgumentError(`${what}: streaming needs a database made by drizzle-cratedb's drizzle(); this query belongs to another driver`);
  }
  return session as IteratingSession;
}

/** Rows one by one, read through a cursor; a new cursor for every `for await`. */
export function iterateQuery<TRow>(session: IteratingSession, prepare: () => PreparedIteration<TRow>, options: IteratorOptions = {}): AsyncIterable<TRow> {
  const { batchSize, signal, placeholders } = options;
  return {
    async *[Symbol.asyncIterator]() {
      const { query, mapBatch } = prepare();
      const params = query.params.length === 0 ? query.params : fillPlaceholders(query.params, placeholders ?? {});
      session.logger.logQuery(query.sql, params);
      for await (const batch of session.client.cursor(query.sql, params, { batchSize, signal })) {
        // Mapped one batch at a time; the batch is not referenced once its rows are handed out. An abort stops the
        // loop at the next row, not only at the next FETCH.
        for (const row of mapBatch(batch)) {
          if (signal?.aborted) throw signal.reason;
          yield row;
        }
      }
    },
  };
}

/**
 * `.iterator(options)` of a line's CrateDB select builder. `prepare` turns the builder into its statement and batch
 * mapper (the line's `_prepare()`); the builder's session must be drizzle-cratedb's.
 */
export function iterateSelect<TRow>(builder: object, prepare: () => PreparedIteration<TRow>, options?: IteratorOptions): AsyncIterable<TRow> {
  return iterateQuery(sessionOf(builder, 'select().iterator()'), prepare, options);
}

/** `db.iterator(sql...)`: any SELECT or VALUES as rows keyed by CrateDB's column names, like `db.execute()`'s rows. */
export function iterateSql<TRow>(db: object, query: SQLWrapper | string, toQuery: (sql: SQL) => Query, options?: IteratorOptions): AsyncIterable<TRow> {
  const session = sessionOf(db, 'db.iterator()');
  const prepared = (): PreparedIteration<TRow> => ({
    query: typeof query === 'string' ? { sql: query, params: [] } : toQuery(query.getSQL()),
    mapBatch: (batch) => rowsAsObjects(batch) as TRow[],
  });
  return iterateQuery(session, prepared, options);
}
