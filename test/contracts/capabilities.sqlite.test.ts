// Runs the capabilities contract on a real SQLite file in a fresh temporary directory.
import { sqliteFixture } from './dialect-fixtures.ts';
import { capabilitiesContract } from './capabilities.contract.ts';

capabilitiesContract('sqlite (file, synchronous FULL)', sqliteFixture);
