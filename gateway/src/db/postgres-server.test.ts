import { inject, it, expect } from 'vitest';
import postgres from 'postgres';

it('the test run has a PostgreSQL server to use', async () => {
  const sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  const [row] = await sql<{ one: number }[]>`select 1 as one`;
  expect(row?.one).toBe(1);
  await sql.end();
});
