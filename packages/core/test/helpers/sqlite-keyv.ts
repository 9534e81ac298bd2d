import Keyv from 'keyv';
import KeyvSqlite from '@keyv/sqlite';

/** A Keyv over one SQLite file, configured as an application would. */
export function sqliteKeyv(file: string): Keyv {
  return new Keyv({
    store: new KeyvSqlite({ uri: `sqlite://${file}`, table: 'jobs', busyTimeout: 5000, iterationLimit: 1000 }),
    namespace: 'jobs',
  });
}
