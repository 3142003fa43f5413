// Runs the workflows contract on a real SQLite file in a fresh temporary directory.
import { sqliteFixture } from './dialect-fixtures.ts';
import { workflowsContract } from './workflows.contract.ts';

workflowsContract('sqlite (file, synchronous FULL)', sqliteFixture);
