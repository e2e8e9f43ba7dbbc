/**
 * The package's main job, end to end, on the book database of CrateDB's SQLAlchemy tutorial ("Crate for Pythonistas
 * with SQLAlchemy"): connect, create the table, insert the tutorial's three books, refresh, then its queries: Douglas
 * Adams' books, the number of books per author, and a full-text search for 'monty'. Results are printed as the
 * tutorial's Python session prints them. Then the characters table of the dialect's documentation, for objects.
 *
 *   CRATEDB_URL=http://localhost:4200 npm run main                 (a running CrateDB)
 *   CRATEDB_TARBALL=path/to/crate-6.4.3.tar.gz npm run main       (runs CrateDB from its release tarball)
 *   npm run main    (a CrateDB at localhost:4200, else Docker, else CrateDB 6.4.3 downloaded)
 */
import { count, desc, eq } from 'drizzle-orm';
import { arrayAny, createTables, drizzle, dropTables, isCrateError, match, objectKey, objectPatch, score } from '../src/index.js';
import { startCrateDB, type CrateDBForTests } from '../src/testing/index.js';
import { books, characters } from './schema.js';

/** A value as Python's repr() writes it, so the output reads like the tutorial's. */
function repr(value: unknown): string {
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `(${value.map(repr).join(', ')}${value.length === 1 ? ',' : ''})`;
  return String(value);
}

/** Does a CrateDB answer `GET /` at `url` within a second? */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

const CRATEDB_VARIABLES = ['CRATEDB_URL', 'CRATEDB_TARBALL', 'CRATEDB_HOME'];

/**
 * The CrateDB named by a variable (CRATEDB_URL, CRATEDB_TARBALL, CRATEDB_HOME); else the one the Quick start uses, at
 * localhost:4200, when one answers there; else one started by drizzle-cratedb/testing (Docker, or a download).
 * Without any, a few lines that say what to do, and exit code 1.
 */
async function findCrate(): Promise<CrateDBForTests> {
  if (!CRATEDB_VARIABLES.some((name) => process.env[name])) {
    if (await answers('http://localhost:4200')) {
      process.stderr.write('No CRATEDB_URL, CRATEDB_TARBALL or CRATEDB_HOME: using the CrateDB that answers at http://localhost:4200.\n');
      process.env.CRATEDB_URL = 'http://localhost:4200';
    } else {
      process.stderr.write('No CRATEDB_URL, CRATEDB_TARBALL or CRATEDB_HOME, and nothing answers at localhost:4200: starting CrateDB...\n');
    }
  }
  try {
    return await startCrateDB();
  } catch (error) {
    if (!isCrateError(error)) throw error;
    // startCrateDB() says what it tried, one line a way; anything else it refused (root without CRATEDB_USER) in a line.
    const tried = error.message.startsWith('No CrateDB for tests.')
      ? error.message.replace('No CrateDB for tests.', 'No CrateDB to run the example against.')
      : `No CrateDB to run the example against: ${error.message.split('\n')[0]}`;
    process.stderr.write(`${tried}\nSet one, e.g. CRATEDB_URL=http://localhost:4200 npm run main (docs/testing.md, "A CrateDB for tests").\n`);
    process.exit(1);
  }
}

const crate = await findCrate();
const db = drizzle({ connection: crate.url });

try {
  const info = await db.$client.serverInfo().catch((error: unknown) => {
    if (!isCrateError(error) || error.code !== 'CRATE_ERR_CONNECTION') throw error;
    process.stderr.write(
      `No CrateDB answered at ${crate.url} (${error.message.split('\n')[0]}).\n` +
        '  Start CrateDB there, or point CRATEDB_URL at one: CRATEDB_URL=http://localhost:4200 npm run main\n',
    );
    process.exitCode = 1;
    return undefined;
  });
  if (info) {
    console.log(`Connected to CrateDB ${info.version} (node ${info.nodeName}) via ${crate.source}\n`);
    await tutorial();
  }
} finally {
  await db.$client.close();
  await crate.stop();
}

async function tutorial(): Promise<void> {
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
      publishedAt: new Date('1980-01-01T00:00:00Z'),
      categories: ['science fiction', 'comedy'],
    },
    {
      title: "Monty Python's Big Red Book",
      author: 'Monty Python',
      publishedAt: new Date('1971-09-30T00:00:00Z'),
      categories: ['comedy'],
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
  const perAuthor = await db.select({ books: count(), author: books.author }).from(books).groupBy(books.author).orderBy(desc(count()), books.author);
  console.log(`  [${perAuthor.map((row) => repr([row.books, row.author])).join(', ')}]`);

  console.log("\nFull-text search for 'monty':");
  const found = await db.select({ title: books.title, score: score() }).from(books).where(match(books.title, 'monty')).orderBy(desc(score()));
  for (const row of found) console.log(`  ${repr(row.title)} (score ${row.score.toFixed(3)})`);

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
}
