import { describe, expect, it } from 'vitest';
import { createVideoLinks } from '@scriptsensei/adapters/http';

describe('signed video links', () => {
  const auth = { apiKeys: { 'key-a': 'alice' } };
  const query = (search: string) => Object.fromEntries(new URLSearchParams(search));

  it('verify what they signed, for that job, until they expire', () => {
    const links = createVideoLinks(auth, { ttlSeconds: 60 });
    const now = Date.parse('2026-11-28T10:00:00Z');
    const signed = query(links.sign('job-1', now));
    expect(links.verify('job-1', signed, now)).toBe(true);
    expect(links.verify('job-2', signed, now)).toBe(false);
    expect(links.verify('job-1', { ...signed, signature: `${signed.signature}x` }, now)).toBe(false);
    expect(links.verify('job-1', { ...signed, expires: String(Number(signed.expires) + 1) }, now)).toBe(false);
    expect(links.verify('job-1', signed, Number(signed.expires) * 1000 + 1)).toBe(false);
    expect(links.verify('job-1', {}, now)).toBe(false);
  });

  it('play at least their TTL, and keep one URL within the hour (a <video> src must not change between polls)', () => {
    const links = createVideoLinks(auth, { ttlSeconds: 7200 });
    const now = Date.parse('2026-11-28T10:05:00Z');
    const first = query(links.sign('job-1', now));
    expect(Number(first.expires) * 1000 - now).toBeGreaterThanOrEqual(7200_000);
    expect(links.sign('job-1', now + 60_000)).toBe(links.sign('job-1', now));
  });

  it('agree across processes with the same auth settings, and not with others', () => {
    const signed = query(createVideoLinks(auth).sign('job-1'));
    expect(createVideoLinks({ apiKeys: { 'key-a': 'alice' } }).verify('job-1', signed)).toBe(true);
    expect(createVideoLinks({ apiKeys: { 'key-b': 'bob' } }).verify('job-1', signed)).toBe(false);
    expect(createVideoLinks(auth, { secret: 'explicit' }).verify('job-1', signed)).toBe(false);
  });
});
