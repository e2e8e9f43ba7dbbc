/**
 * The package's main job, end to end: connect, print the server version, run a query.
 *   CRATEDB_URL=http://localhost:4200 npm run main
 */
import { sql } from 'drizzle-orm';
import { drizzle } from '../src/index.js';
import { connectCrate } from './connect.js';

const connection = await connectCrate();
const db = drizzle(connection.url);
try {
  const info = await db.$client.serverInfo();
  console.log(`Connected to CrateDB ${info.version} (node ${info.nodeName}, cluster ${info.clusterName}) via ${connection.source}`);
  const result = await db.execute(sql`select name, version['number'] as version from sys.nodes order by name`);
  console.table(result.rows);
} finally {
  await db.$client.close();
  await connection.stop();
}
