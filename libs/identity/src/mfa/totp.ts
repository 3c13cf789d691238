import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;
/** One step either side: a phone clock 30 s off still signs in. */
const WINDOW = 1;

/** A new 160-bit TOTP secret (RFC 4226's recommended size), base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// URI an authenticator app scans: issuer Cairn, labelled with the firm and the person's email. */
export function provisioningUri(secret: string, firmSlug: string, email: string): string {
  return new TOTP({
    issuer: 'Cairn',
    label: `${firmSlug}:${email}`,
    issuerInLabel: true,
    secret: Secret.fromBase32(secret),
    period: PERIOD,
  }).toString();
}

/** The time step `code` is valid for now, or null: the caller refuses a step it has already accepted (replay). */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    period: PERIOD,
    timestamp: now,
    window: WINDOW,
  });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: now }) + delta;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A recovery code: 16 base32 characters (80 random bits) in groups of four, e.g. `k3vq-7mzd-…`. */
export function newRecoveryCode(): string {
  const chars = [...randomBytes(16)].map((b) => BASE32[b & 31]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** How a recovery code is compared: case and dashes do not matter. */
export const normalizedRecoveryCode = (code: string) => code.toLowerCase().replace(/-/g, '');
