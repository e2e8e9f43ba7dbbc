/**
 * The book database of CrateDB's SQLAlchemy tutorial, and the characters table of its dialect's documentation,
 * written with drizzle-cratedb. They live in their own schema so the example never touches your tables.
 */
import { crateSchema, objectArray, object, text, timestamp, withOptions } from '../src/index.js';

// DRIZZLE_CRATEDB_EXAMPLE_SCHEMA lets a test run the example in a schema of its own.
export const example = crateSchema(process.env.DRIZZLE_CRATEDB_EXAMPLE_SCHEMA ?? 'drizzle_cratedb_example');

export const books = example.table(
  'books',
  {
    id: text().primaryKey().defaultRandom(),
    title: text().notNull().fulltext({ analyzer: 'english' }),
    author: text().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    categories: text().array(),
  },
  () => [withOptions({ number_of_replicas: '0-1' })],
);

export const characters = example.table('characters', {
  id: text().primaryKey().defaultRandom(),
  name: text().notNull(),
  quote: text(),
  details: object(),
  moreDetails: objectArray('more_details', { columns: { foo: text() } }),
});
