// Runs the contact sends contract on a real SQLite file in a fresh temporary directory.
import { contactSendsContract } from './contact-sends.contract.ts';
import { sqliteFixture } from './dialect-fixtures.ts';

contactSendsContract('sqlite (file, synchronous FULL)', sqliteFixture);
