// PostgreSQL migrations (DATABASE_URL=postgres://…), generated from src/db/schema-pg, which
// tests/db/schema-parity.test.ts keeps in step with the SQLite schema: `npm run db:generate`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema-pg/index.ts',
  out: './src/db/migrations-pg',
  casing: 'snake_case',
});
