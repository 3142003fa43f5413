// Runs the usage contract on a real SQLite file in a fresh temporary directory.
import { usageContract } from './usage.contract.ts';
import { sqliteFixture } from './dialect-fixtures.ts';

usageContract('sqlite (file, synchronous FULL)', sqliteFixture);
