export { createAzureTTS, type AzureTTS, type AzureTTSOptions, type AzureOutputFormat } from './azure-tts.js';
