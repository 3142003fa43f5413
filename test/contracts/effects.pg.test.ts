// Runs the effects contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set).
import { describe } from 'vitest';
import { postgresUrl } from '../support/postgres.ts';
import { postgresFixture } from './dialect-fixtures.ts';
import { effectsContract } from './effects.contract.ts';

describe.skipIf(!postgresUrl)('postgres', () => {
  effectsContract('postgres', postgresFixture);
});
