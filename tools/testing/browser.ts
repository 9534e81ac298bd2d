import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's chromium, installed by .ci/run (`npx playwright install` cannot download here). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run. Without chromium they are skipped with a loud message, except
 * under CI=true, where a missing browser must fail the run instead of hiding the tests.
 */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: ${CHROMIUM} is missing (apt-get install chromium); browser tests cannot be skipped in CI`);
  console.warn(`\n*** ${suite}: SKIPPED — no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH) ***\n`);
  return false;
}

/** Headless chromium with the flags this sandbox needs (no sandbox as root, no background network). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}
