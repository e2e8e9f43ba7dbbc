/** `push` without a database: which tables it manages and which it leaves alone. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crateTable, describeTable, integer } from 'drizzle-cratedb';
import { parseArgs, runCli } from '../../src/kit/cli.js';
import { resolveConfig } from '../../src/kit/config.js';
import { createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';
import { unmanagedTables } from '../../src/kit/commands.js';
import { tempDirs } from '../support/temp-dirs.js';
import { capture, users } from '../support/kit-fixtures.js';

const tempDir = tempDirs('kit-layout-');

describe('push: tables in no schema file', () => {
  const live = [
    describeTable(users),
    describeTable(crateTable('other_app', { id: integer('id') })),
    describeTable(crateTable('billing', { id: integer('id') })),
  ];
  const desired = createSnapshot([describeTable(users)], emptySnapshot().id);

  it('are left alone under the default filters, and managed once a filter of the user covers them', () => {
    const defaults = resolveConfig({ dialect: 'cratedb', schema: './s.ts' });
    expect(unmanagedTables(defaults, live, desired).map((table) => table.name)).toEqual(['other_app', 'billing']);
    // The walkthrough's config (no filters) is the default case.
    expect(defaults.filtersGiven).toEqual({ tables: false, schemas: false });
    expect(unmanagedTables(resolveConfig({ dialect: 'cratedb', tablesFilter: ['*'] }), live, desired)).toEqual([]);
    expect(unmanagedTables(resolveConfig({ dialect: 'cratedb', schemaFilter: ['doc'] }), live, desired)).toEqual([]);
  });

  it('--tablesFilter and --schemaFilters on the command line count as the user\'s filters', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'drizzle.config.json'), JSON.stringify({ dialect: 'cratedb', schema: './none.ts', dbCredentials: 'http://127.0.0.1:9' }));
    expect(parseArgs(['push', '--tablesFilter', 'a,b']).options.tablesFilter).toEqual(['a', 'b']);
    const output = capture();
    expect(await runCli(['push', '--drop-unmanaged', '--tablesFilter', 'x', '--strict'], { out: output, cwd, interactive: false })).toBe(1);
    // The flags are taken; it goes on to the server (none at port 9) rather than stopping at the arguments.
    expect(output.text()).not.toMatch(/unknown option|needs a value/);
  });
});
