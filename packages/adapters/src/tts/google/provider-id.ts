/** The provider's id: `TTS_PROVIDER=google`, a request's `voiceProvider`, and the prefix of its errors. */
export const PROVIDER = 'google';
