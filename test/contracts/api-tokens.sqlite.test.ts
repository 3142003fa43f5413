// Runs the API token contract on a real SQLite file in a fresh temporary directory.
import { apiTokensContract } from './api-tokens.contract.ts';
import { sqliteFixture } from './dialect-fixtures.ts';

apiTokensContract('sqlite (file, synchronous FULL)', sqliteFixture);
