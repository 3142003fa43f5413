// Runs the run repository contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set).
import { describe } from 'vitest';
import { postgresUrl } from '../support/postgres.ts';
import { postgresFixture } from './dialect-fixtures.ts';
import { runsContract } from './runs.contract.ts';

describe.skipIf(!postgresUrl)('postgres', () => {
  runsContract('postgres', postgresFixture);
});
