// Runs the store contract on a real SQLite file in a fresh temporary directory.
import { sqliteFixture } from './dialect-fixtures.ts';
import { storeContract } from './store.contract.ts';

storeContract('sqlite (file, synchronous FULL)', sqliteFixture);
