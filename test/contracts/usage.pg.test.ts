// Runs the usage contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set).
import { describe } from 'vitest';
import { postgresUrl } from '../support/postgres.ts';
import { usageContract } from './usage.contract.ts';
import { postgresFixture } from './dialect-fixtures.ts';

describe.skipIf(!postgresUrl)('postgres', () => {
  usageContract('postgres', postgresFixture);
});
