// Runs the run repository contract on a real SQLite file in a fresh temporary directory.
import { sqliteFixture } from './dialect-fixtures.ts';
import { runsContract } from './runs.contract.ts';

runsContract('sqlite (file, synchronous FULL)', sqliteFixture);
