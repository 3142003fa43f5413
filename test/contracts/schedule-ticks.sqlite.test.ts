// Runs the schedule tick contract on a real SQLite file in a fresh temporary directory.
import { sqliteFixture } from './dialect-fixtures.ts';
import { scheduleTicksContract } from './schedule-ticks.contract.ts';

scheduleTicksContract('sqlite (file, synchronous FULL)', sqliteFixture);
