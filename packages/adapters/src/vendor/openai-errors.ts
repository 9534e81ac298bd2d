/**
 * OpenAI answers 429 both for "slow down" and for "no credits left" (`insufficient_quota`, or a
 * spend limit reached): only the first passes by waiting. Shared by the OpenAI providers.
 */
export function openAIRetryable(status: number, body: string): boolean | undefined {
  if (status !== 429) return undefined;
  return /"(?:code|type)"\s*:\s*"insufficient_quota"/.test(body) ? false : undefined;
}
