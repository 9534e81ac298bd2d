// Every export of the browser packages, for `pnpm size` (.size-limit.json): what an app pays
// at most for ScriptSensei's front-end code, React itself excluded.
export * from '../packages/client/dist/index.js';
export * from '../packages/react/dist/index.js';
