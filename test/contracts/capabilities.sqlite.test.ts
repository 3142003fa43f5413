// Runs the capabilities contract on a real SQLite file in a fresh temporary directory.
import { createSqliteStore } from '../../core/src/store/sqlite/store.ts';
import { freshTempDir } from '../support/tmp.ts';
import { capabilitiesContract } from './capabilities.contract.ts';

capabilitiesContract('sqlite (file, synchronous FULL)', async () => {
  const dir = await freshTempDir();
  const file = dir.file('lianjie.db');
  const store = createSqliteStore({ file, synchronous: 'FULL' });
  return {
    store,
    reopen: () => createSqliteStore({ file, synchronous: 'FULL' }),
    async cleanup() {
      await store.close();
      await dir.remove();
    },
  };
});
