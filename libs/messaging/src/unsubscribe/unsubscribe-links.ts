import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { AppConfig } from '#cairn/shared/config';
import { MessageKind } from '../messages/message-kind.enum.js';

/** Whose unsubscribe link it is: one recipient of one firm, for one kind of email. */
export interface UnsubscribeTarget {
  tenantId: string;
  userId: string;
  kind: MessageKind;
}

const AUDIENCE = 'cairn:unsubscribe';
/** A link keeps working this long after the email that carries it was sent (a retry gets a fresh one). */
export const UNSUBSCRIBE_LINK_TTL_DAYS = 90;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One-click unsubscribe links (RFC 8058): `<PUBLIC_BASE_URL>/email/unsubscribe/<token>`, the token an HS256 JWT
 * naming tenant, recipient and kind, signed with a key of its own derived from DATA_ENCRYPTION_KEY, so nothing is
 * stored per email and a link cannot be altered to name another firm, person or kind.
 */
@Injectable()
export class UnsubscribeLinks {
  /** One per DATA_ENCRYPTION_KEYS key, the write key's first: links signed before a key rotation keep working. */
  private readonly keys: KeyObject[];

  constructor(private readonly config: AppConfig) {
    this.keys = config.dataEncryptionKeys.map(({ key }) =>
      createSecretKey(Buffer.from(hkdfSync('sha256', key, 'cairn', 'unsubscribe-link/v1', 32))),
    );
  }

  urlFor(target: UnsubscribeTarget): string {
    const token = jwt.sign({ tid: target.tenantId, kind: target.kind }, this.keys[0], {
      algorithm: 'HS256',
      audience: AUDIENCE,
      subject: target.userId,
      expiresIn: `${UNSUBSCRIBE_LINK_TTL_DAYS}d`,
    });
    return `${this.config.publicBaseUrl}/email/unsubscribe/${token}`;
  }

  /** The link's target, or why it cannot be used. */
  verify(token: string): UnsubscribeTarget | 'expired' | 'invalid' {
    try {
      const claims = this.verifyWithAnyKey(token);
      const { tid, kind, sub } = claims as { tid?: unknown; kind?: unknown; sub?: unknown };
      if (typeof tid !== 'string' || !UUID.test(tid) || typeof sub !== 'string' || !UUID.test(sub))
        return 'invalid';
      if (!Object.values<unknown>(MessageKind).includes(kind)) return 'invalid';
      return { tenantId: tid, userId: sub, kind: kind as MessageKind };
    } catch (error) {
      return error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid';
    }
  }

  /** The claims under whichever key signed the link; an invalid signature tries the next key. */
  private verifyWithAnyKey(token: string): jwt.JwtPayload {
    for (const [i, key] of this.keys.entries()) {
      try {
        return jwt.verify(token, key, { algorithms: ['HS256'], audience: AUDIENCE }) as jwt.JwtPayload;
      } catch (error) {
        if (!(error instanceof jwt.JsonWebTokenError && error.message === 'invalid signature') || i === this.keys.length - 1)
          throw error;
      }
    }
    throw new jwt.JsonWebTokenError('no key');
  }
}
