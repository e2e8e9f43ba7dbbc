/** `migrate`'s bookkeeping without a server: renamed and changed migrations, divergence, statements CrateDB parses. */
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/kit/folders.js';
import { migrate, MigrationError } from '../../src/kit/migrator.js';
import { expectCrateSql } from '../support/grammar.js';
import { recordingClient } from '../support/recording-client.js';
import { tempDirs } from '../support/temp-dirs.js';
import { writeTwo } from '../support/kit-fixtures.js';

const tempDir = tempDirs('kit-layout-');

describe('migrator bookkeeping without a server', () => {
  const recordCols = ['id', 'tag', 'hash', 'status', 'statements_done', 'statements_total', 'owner', 'error', 'heartbeat_at', 'server_now', '_seq_no', '_primary_term'];

  it('takes a migration moved by up under its new name, refuses a changed one, and sends only statements CrateDB parses', async () => {
    const out = tempDir();
    writeTwo(out, 'folders');
    const [first, second] = readMigrations(out);
    const state = { tags: ['0000_init', '0001_drop'], hashes: [first!.hash, 'an-older-hash'] };
    const { client, calls } = recordingClient((call) => {
      if (call.stmt.startsWith('SELECT id, tag')) {
        const id = call.args[0] as number;
        return { cols: recordCols, rows: [[id, state.tags[id], state.hashes[id], 'applied', 1, 1, 'o', null, null, null, 1, 1]] };
      }
      if (call.stmt.includes('SET tag = ?')) state.tags[call.args[1] as number] = call.args[0] as string;
      if (call.stmt.includes('SET hash = ?')) state.hashes[call.args[1] as number] = call.args[0] as string;
      return {};
    });
    const error = await migrate(client, { migrationsFolder: out }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toContain(`migration ${second!.tag} (recorded as 0001_drop) was applied, but its file has changed since`);
    // The first was recognised (same hash, same name after the prefix) and renamed; the changed one was not.
    expect(state.tags).toEqual([first!.tag, '0001_drop']);
    const accepted = await migrate(client, { migrationsFolder: out, acceptChanged: true });
    expect(accepted).toMatchObject({ applied: [], skipped: [first!.tag, second!.tag] });
    expect(state.tags).toEqual([first!.tag, second!.tag]);
    expect(state.hashes[1]).toBe(second!.hash);
    expect(calls.length).toBeGreaterThan(4);
    for (const call of calls) expectCrateSql(call.stmt);
  });

  it('a different migration at the same position is still a divergence', async () => {
    const out = tempDir();
    writeTwo(out, 'folders');
    const { client } = recordingClient((call) =>
      call.stmt.startsWith('SELECT id, tag') ? { cols: recordCols, rows: [[0, '0000_other', 'h', 'applied', 1, 1, 'o', null, null, null, 1, 1]] } : {},
    );
    await expect(migrate(client, { migrationsFolder: out })).rejects.toThrow(/recorded migration 0000_other at position 0, but the folder has \d{14}_init there/);
  });
});
