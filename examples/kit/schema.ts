/**
 * A small schema for the kit example (`drizzle.config.ts` at the repository root points here).
 * In your project, import from 'drizzle-cratedb' instead of the source folder.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  clusteredBy,
  crateTable,
  fulltextIndex,
  integer,
  object,
  partitionedBy,
  primaryKey,
  text,
  timestamp,
  withOptions,
} from '../../src/index.js';

export const users = crateTable(
  'users',
  {
    id: text('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email'),
    bio: text('bio').fulltext({ analyzer: 'english' }),
    address: object('address', { columns: { city: text(), zip: text() } }),
    createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  },
  () => [withOptions({ refresh_interval: 1000 })],
);

export const events = crateTable(
  'events',
  {
    day: timestamp('day', { withTimezone: true }).notNull(),
    id: text('id').notNull(),
    userId: text('user_id'),
    kind: text('kind').notNull(),
    payload: object('payload'),
    score: integer('score'),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.id] }),
    partitionedBy(t.day),
    clusteredBy({ shards: 4 }),
    check('score_range', sql`${t.score} between 0 and 100`),
    fulltextIndex('kind_ft').on(t.kind),
  ],
);
