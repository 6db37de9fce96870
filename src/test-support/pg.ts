// A scratch PostgreSQL database per test file, on the server LEADLIFT_TEST_PG_URL names
// (CI sets it; without it the PostgreSQL cases skip and say why).

import { randomBytes } from 'node:crypto';
import { importDriver } from '../db/stream.js';

/** The test server's URL, or undefined when the variable is unset. */
export const PG_URL: string | undefined = process.env.LEADLIFT_TEST_PG_URL || undefined;

/** Why the PostgreSQL cases skip, or undefined when they run. */
export const PG_SKIP: string | undefined = PG_URL
  ? undefined
  : 'LEADLIFT_TEST_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)';

/** A fresh database on the test server. */
export interface ScratchPg {
  readonly name: string;
  /** Its URL (the server's URL with the database replaced). */
  readonly url: string;
  /** Runs one statement on the server's admin database. */
  admin(sql: string): Promise<void>;
  /** Drops the database, ending its connections. */
  drop(): Promise<void>;
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a database named `<prefix>_<random hex>` on the test server. */
export async function createScratchPg(prefix: string): Promise<ScratchPg> {
  if (!PG_URL) throw new Error(PG_SKIP);
  const server = PG_URL;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const pg = await importDriver<typeof import('pg')>('pg', 'PostgreSQL');
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return {
    name,
    url: withDatabase(server, name),
    admin,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
