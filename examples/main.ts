/**
 * The package's main job, end to end, on the book database of CrateDB's SQLAlchemy tutorial:
 * connect, create the table, insert, refresh, query, search; then the characters table for objects.
 *
 *   CRATEDB_URL=http://localhost:4200 npm run main      (without CRATEDB_URL, testcontainers starts CrateDB)
 */
import { count, desc, eq } from 'drizzle-orm';
import {
  arrayAny,
  createTables,
  drizzle,
  dropTables,
  match,
  objectKey,
  objectPatch,
  score,
} from '../src/index.js';
import { connectCrate } from './connect.js';
import { books, characters } from './schema.js';

const connection = await connectCrate();
const db = drizzle({ connection: connection.url });

try {
  const info = await db.$client.serverInfo();
  console.log(`Connected to CrateDB ${info.version} (node ${info.nodeName}) via ${connection.source}\n`);

  await dropTables(db, [books, characters]);
  await createTables(db, [books, characters]);

  await db.insert(books).values([
    {
      title: "The Hitchhiker's Guide to the Galaxy",
      author: 'Douglas Adams',
      publishedAt: new Date('1979-10-12T00:00:00Z'),
      categories: ['science fiction', 'comedy'],
    },
    {
      title: 'The Restaurant at the End of the Universe',
      author: 'Douglas Adams',
      publishedAt: new Date('1980-10-01T00:00:00Z'),
      categories: ['science fiction', 'comedy'],
    },
    {
      title: "Monty Python's Flying Circus: Just the Words",
      author: 'Graham Chapman',
      publishedAt: new Date('1989-01-01T00:00:00Z'),
      categories: ['comedy', 'scripts'],
    },
  ]);
  // CrateDB makes new rows visible to searches at the next refresh (every second by default); do it now.
  await db.refresh(books);

  console.log("Douglas Adams' books by publication date:");
  const adams = await db
    .select({ title: books.title, publishedAt: books.publishedAt })
    .from(books)
    .where(eq(books.author, 'Douglas Adams'))
    .orderBy(books.publishedAt);
  for (const book of adams) console.log(`  ${book.publishedAt?.toISOString().slice(0, 10)}  ${book.title}`);

  console.log('\nBooks per author:');
  const perAuthor = await db.select({ author: books.author, books: count() }).from(books).groupBy(books.author).orderBy(desc(count()));
  for (const row of perAuthor) console.log(`  ${row.author}: ${row.books}`);

  console.log("\nFull-text search for 'monty':");
  const found = await db
    .select({ title: books.title, score: score() })
    .from(books)
    .where(match(books.title, 'monty'))
    .orderBy(desc(score()));
  for (const row of found) console.log(`  ${row.title} (score ${row.score.toFixed(3)})`);

  // Objects: a partial update, a filter on an object key, ANY over an object array's key.
  await db.insert(characters).values([
    { name: 'Arthur Dent', details: { gender: 'male', species: 'human' }, moreDetails: [{ foo: 'towel' }] },
    { name: 'Tricia McMillan', details: { gender: 'female', species: 'human' }, moreDetails: [{ foo: 'mice' }] },
  ]);
  await db.refresh(characters);
  await db.update(characters).set({ details: objectPatch({ gender: 'manly man' }) }).where(eq(characters.name, 'Arthur Dent'));
  await db.refresh(characters);

  console.log('\nCharacters by gender (after a partial update of Arthur):');
  const byGender = await db
    .select({ name: characters.name, gender: objectKey(characters.details, 'gender'), species: objectKey(characters.details, 'species') })
    .from(characters)
    .orderBy(characters.name);
  for (const row of byGender) console.log(`  ${row.name}: ${String(row.gender)} ${String(row.species)}`);

  const humans = await db.select({ name: characters.name }).from(characters).where(eq(objectKey(characters.details, 'species'), 'human'));
  console.log(`\nHumans: ${humans.map((row) => row.name).sort().join(', ')}`);

  const towelCarriers = await db.select({ name: characters.name }).from(characters).where(arrayAny(objectKey(characters.moreDetails, 'foo'), 'towel'));
  console.log(`Carries a towel: ${towelCarriers.map((row) => row.name).join(', ')}`);

  await dropTables(db, [books, characters]);
} finally {
  await db.$client.close();
  await connection.stop();
}
