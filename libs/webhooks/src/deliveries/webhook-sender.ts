import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from '#cairn/shared/net';

export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the value of `Cairn-Signature`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The whole `Cairn-Signature` header: one signature per secret, comma-separated, newest secret first (the Stripe
 * convention), so during a rotation's overlap a receiver still holding the previous secret keeps verifying.
 */
export function webhookSignatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => webhookSignature(secret, timestamp, body)).join(',');
}

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  timeoutMs: number;
}

export interface SendResult {
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Resolves like the default lookup but refuses blocked addresses, so the check happens on the very addresses
 * the socket connects to: a hostname that resolved to a public address at registration and to an internal one
 * now (DNS rebinding) is refused.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
        const blocked = Object.assign(new Error(`${hostname} resolves to a blocked address`), {
          code: 'EBLOCKED',
        });
        return callback(blocked, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** One POST. Never throws: every outcome is a result to record. Redirects are not followed (a 3xx fails). */
export function sendWebhook(request: SendRequest): Promise<SendResult> {
  const started = Date.now();
  const done = (statusCode: number | null, error: string | null): SendResult => ({
    succeeded: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Date.now() - started,
  });
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return resolve(done(null, 'Invalid URL'));
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) && !request.allowPrivate && isPrivateAddress(host)) {
      return resolve(done(null, 'The URL points to a blocked address'));
    }
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
        lookup: guardedLookup(request.allowPrivate),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume(); // the body is not needed, but must be drained
        res.on('end', () => {
          if (status >= 300 && status < 400) finish(done(status, `Redirect (${status}) not followed`));
          else finish(done(status, status >= 200 && status < 300 ? null : `HTTP ${status}`));
        });
        res.on('error', (error) => finish(done(status, error.message)));
      },
    );
    const timer = setTimeout(() => {
      finish(done(null, `Timed out after ${request.timeoutMs} ms`));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(done(null, error.message.slice(0, 1000))));
    req.end(request.body);
  });
}
