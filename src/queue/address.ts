/**
 * A queue's address, `redis://[[user]:password@]host[:port][/db]` or `rediss://...` (TLS), as given to
 * `--queue`. The password must never be shown: every message that names the queue uses `shown`, and
 * every text that may quote the URL (a driver's error, the command line) goes through `redact`.
 */
import { ConfigError } from '../config/load.js';

export interface QueueAddress {
  /** The URL as given, password included: only for connecting. */
  url: string;
  /** The URL with the password replaced by ***. */
  shown: string;
  /** `text` with the password replaced by *** wherever it appears, as typed or URL-encoded. */
  redact(text: string): string;
}

const MASK = '***';

/** A URL that may not parse: the credentials part, between // and @, loses its password. */
export function redactUrlText(text: string): string {
  return text.replace(/(\w+:\/\/)([^/@\s]*)@/g, (_m, scheme: string, cred: string) => `${scheme}${cred.includes(':') ? `${cred.slice(0, cred.indexOf(':'))}:${MASK}` : MASK}@`);
}

export function parseQueueAddress(raw: string, flag = '--queue'): QueueAddress {
  const bad = (why: string): ConfigError =>
    new ConfigError('command line', 'queue', `${flag}: '${redactUrlText(raw)}' ${why}; expected redis://[:password@]host[:port][/db] or rediss://... for TLS`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`is not a Redis URL (${url.protocol.replace(/:$/, '')}://)`);
  if (url.hostname === '') throw bad('names no host');
  if (!/^\/?(\d+)?$/.test(url.pathname)) throw bad('has a path that is not a database number');
  const secrets = url.password === '' ? [] : [...new Set([url.password, decoded(url.password)])];
  const redact = (text: string): string => secrets.reduce((t, s) => t.split(s).join(MASK), redactUrlText(text));
  return { url: raw, shown: redactUrlText(raw), redact };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
