/** Renames: what generate and push do about a possible rename when no terminal can ask. */
import { describe, expect, it } from 'vitest';
import { crateTable, describeTable, text } from 'drizzle-cratedb';
import { parseRenameSpec, resolveRenames } from '../../src/kit/renames.js';
import { createSnapshot, emptySnapshot } from '../../src/kit/snapshot.js';

describe('renames without a terminal', () => {
  const a = createSnapshot([describeTable(crateTable('users', { id: text('id'), name: text('name') }))], emptySnapshot().id);
  const b = createSnapshot([describeTable(crateTable('users', { id: text('id'), fullName: text('full_name') }))], a.id);

  it('fail with the question and how to answer it', async () => {
    await expect(resolveRenames(a, b)).rejects.toThrow(/column doc\.users\.full_name: created, or renamed from name\?.*--rename users\.name=full_name/s);
  });

  it('take --rename and --no-renames', async () => {
    expect(await resolveRenames(a, b, { specs: [parseRenameSpec('users.name=full_name')] })).toEqual({ columns: { 'doc.users': { name: 'full_name' } } });
    expect(await resolveRenames(a, b, { noRenames: true })).toEqual({});
    await expect(resolveRenames(a, b, { specs: [parseRenameSpec('users.nope=full_name')], noRenames: true })).rejects.toThrow(/no such rename/);
  });

  it('ask a prompter', async () => {
    const prompter = { choose: async () => 1, confirm: async () => true };
    expect(await resolveRenames(a, b, { prompter })).toEqual({ columns: { 'doc.users': { name: 'full_name' } } });
  });
});
