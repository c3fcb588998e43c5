import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { migrate, type Migration } from './migrate';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const V1: Migration = { version: 1, name: 'things', sql: 'create table t1.things (id int primary key); insert into t1.things values (1);' };
const V2: Migration = { version: 2, name: 'more things', sql: 'alter table t1.things add column label text; create index things_label on things (label);' };

describe('migrate', () => {
  it('applies pending migrations once, in order, and nothing on a second run', async () => {
    expect(await migrate(db.sql, 't1', [V1])).toEqual({ applied: [1], version: 1 });
    expect(await migrate(db.sql, 't1', [V1, V2])).toEqual({ applied: [2], version: 2 });
    expect(await migrate(db.sql, 't1', [V1, V2])).toEqual({ applied: [], version: 2 });
    const rows = await db.sql`select version, name from t1.schema_migrations order by version`;
    expect(rows.map((r) => [r.version, r.name])).toEqual([[1, 'things'], [2, 'more things']]);
    // The insert of migration 1 ran exactly once.
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from t1.things`;
    expect(row?.n).toBe(1);
  });

  it('refuses a released migration whose text changed', async () => {
    await expect(migrate(db.sql, 't1', [{ ...V1, sql: V1.sql + ' -- edited' }, V2])).rejects.toThrow(/changed after it was applied/);
  });

  it('refuses a database at a version the code does not know', async () => {
    await expect(migrate(db.sql, 't1', [V1])).rejects.toThrow(/does not know/);
  });

  it('rolls back every pending migration when one fails', async () => {
    const bad: Migration[] = [
      { version: 1, name: 'ok', sql: 'create table t2.a (id int)' },
      { version: 2, name: 'broken', sql: 'create table t2.b (id int); select * from t2.missing' },
    ];
    await expect(migrate(db.sql, 't2', bad)).rejects.toThrow();
    const tables = await db.sql`select table_name from information_schema.tables where table_schema = 't2'`;
    expect(tables).toHaveLength(0);
  });

  it('lets concurrent runners apply each migration exactly once', async () => {
    const list: Migration[] = [{ version: 1, name: 'c', sql: 'create table t3.c (id int)' }];
    const outcomes = await Promise.all([migrate(db.sql, 't3', list), migrate(db.sql, 't3', list), migrate(db.sql, 't3', list)]);
    expect(outcomes.flatMap((o) => o.applied)).toEqual([1]);
  });

  it('rejects bad schema names and misnumbered lists', async () => {
    await expect(migrate(db.sql, 'x; drop table y', [V1])).rejects.toThrow(/invalid schema name/);
    await expect(migrate(db.sql, 't4', [V2])).rejects.toThrow(/numbered/);
  });
});
