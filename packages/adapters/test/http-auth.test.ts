import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiKeys } from '@scriptsensei/adapters/http';
import { createAuthenticator } from '../src/http/auth.js';
import { parseRange } from '../src/http/video-response.js';

describe('bearer auth', () => {
  const jwks = { keys: [] as object[] };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  let jwksUrl: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey as CryptoKey;
    jwks.keys.push({ ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (claims: Record<string, unknown>, issuer = 'https://issuer.test') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setIssuer(issuer).setAudience('scriptsensei').setExpirationTime('5m').sign(privateKey);

  it('verifies JWTs against a JWKS endpoint, taking the user from the configured claim', async () => {
    const authenticate = createAuthenticator({ jwt: { jwksUrl, issuer: 'https://issuer.test', audience: 'scriptsensei', userClaim: 'uid' } });
    expect(await authenticate(`Bearer ${await sign({ uid: 'erin' })}`)).toBe('erin');
    await expect(authenticate(`Bearer ${await sign({ uid: 'erin' }, 'https://evil.test')}`)).rejects.toMatchObject({ status: 401 });
    await expect(authenticate(`Bearer ${await sign({ sub: 'no-uid' })}`)).rejects.toMatchObject({ status: 401 });
    await expect(authenticate(undefined)).rejects.toMatchObject({ status: 401 });
    await expect(authenticate('Basic abc')).rejects.toMatchObject({ status: 401 });
  });

  it('is off when nothing is configured', async () => {
    const authenticate = createAuthenticator({});
    expect(authenticate.enabled).toBe(false);
    expect(await authenticate(undefined)).toBeUndefined();
  });

  it('parses API_KEYS and refuses malformed entries', () => {
    expect(parseApiKeys('k1:alice, k2:bob')).toEqual({ k1: 'alice', k2: 'bob' });
    expect(parseApiKeys('')).toBeUndefined();
    expect(() => parseApiKeys('k1alice')).toThrow(/key:user/);
    expect(() => parseApiKeys('k1:')).toThrow(/key:user/);
  });
});

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', 100, [0, 9]],
    ['bytes=90-', 100, [90, 99]],
    ['bytes=-10', 100, [90, 99]],
    ['bytes=95-200', 100, [95, 99]],
    ['bytes=-500', 100, [0, 99]],
  ] as const)('%s of %i bytes → %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it.each(['bytes=100-', 'bytes=5-1', 'bytes=-0', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=a-b'])('refuses %s', (header) => {
    expect(parseRange(header, 100)).toBeUndefined();
  });
});
