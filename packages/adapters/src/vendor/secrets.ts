/** Shortest value treated as a secret: shorter strings would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * `text` with every secret replaced by `[redacted]`, and any credential query value too (`key=`,
 * `token=`, S3 and GCS signatures and session tokens, Azure SAS `sig=`): vendor error bodies
 * sometimes echo the key or the URL that carried it.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join('[redacted]');
  }
  return out.replace(/([?&](?:key|api_key|apikey|token|access_token|signature|sig|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Goog-Signature|X-Goog-Credential)=)[^&\s"']+/gi, '$1[redacted]');
}
