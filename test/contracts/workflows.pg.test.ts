// Runs the workflows contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set).
import { describe } from 'vitest';
import { postgresUrl } from '../support/postgres.ts';
import { postgresFixture } from './dialect-fixtures.ts';
import { workflowsContract } from './workflows.contract.ts';

describe.skipIf(!postgresUrl)('postgres', () => {
  workflowsContract('postgres', postgresFixture);
});
