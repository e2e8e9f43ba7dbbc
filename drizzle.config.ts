import { defineConfig } from './src/kit/index.js';

// In a project: import { defineConfig } from 'drizzle-cratedb/kit';
export default defineConfig({
  dialect: 'cratedb',
  schema: './examples/kit/schema.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.CRATEDB_URL ?? 'http://localhost:4200' },
  schemaFilter: ['doc'],
  tablesFilter: ['users', 'events'],
});
