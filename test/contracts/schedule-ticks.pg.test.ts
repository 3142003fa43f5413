// Runs the schedule tick contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set).
import { describe } from 'vitest';
import { postgresUrl } from '../support/postgres.ts';
import { postgresFixture } from './dialect-fixtures.ts';
import { scheduleTicksContract } from './schedule-ticks.contract.ts';

describe.skipIf(!postgresUrl)('postgres', () => {
  scheduleTicksContract('postgres', postgresFixture);
});
