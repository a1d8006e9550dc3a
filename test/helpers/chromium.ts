/**
 * Where the browser tests find Debian's chromium. Without it they skip with a message saying so;
 * with CI=true they run anyway, and fail, because CI must have it (.ci/run installs it).
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.GBLEND_CHROMIUM ?? '/usr/bin/chromium';

/** A `skip` option for node:test: false when the browser tests must run. */
export function skipWithoutChromium(): string | false {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') return false;
  return `chromium not found at ${CHROMIUM} (apt install chromium, or set GBLEND_CHROMIUM): browser test skipped`;
}
