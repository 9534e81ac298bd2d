/** The provider's id: `TTS_PROVIDER=azure`, a request's `voiceProvider`, and the prefix of its errors. */
export const PROVIDER = 'azure';
