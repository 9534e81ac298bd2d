export { createLocalStorage, type LocalStorageOptions } from './local-storage.js';
export { defaultStorageDirectory } from './default-directory.js';
