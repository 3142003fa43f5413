// Runs the effects contract on a real SQLite file in a fresh temporary directory.
import { sqliteFixture } from './dialect-fixtures.ts';
import { effectsContract } from './effects.contract.ts';

effectsContract('sqlite (file, synchronous FULL)', sqliteFixture);
