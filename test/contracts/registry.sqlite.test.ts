// Runs the plugin registry contract on a real SQLite file in a fresh temporary directory.
import { registryContract } from './registry.contract.ts';
import { sqliteFixture } from './dialect-fixtures.ts';

registryContract('sqlite (file, synchronous FULL)', sqliteFixture);
