import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '#cairn/shared/config';
import { AppError, ErrorCode } from '#cairn/shared/graphql';
import { closeRedis, openRedis, type RedisClient } from '#cairn/shared/queue';

/** What is being attempted: each has its own counters, so a flood of one cannot lock out the others. */
export type SignInAttempt = 'login' | 'accept-invitation' | 'refresh-session' | 'change-password' | 'mfa';

const logger = new Logger('SignInLimiter');

/**
 * Brute-force limits on the credential-checking mutations, per account and per client address, in Redis so
 * every API replica counts together. When Redis is unreachable each replica counts in memory instead
 * (insurance limiter): limits stay on, per process. Every attempt takes a point before the credential is
 * checked (concurrent guesses cannot slip through); a success gives the address its point back and clears the
 * account's, so only failures add up.
 */
@Injectable()
export class SignInLimiter implements OnModuleDestroy {
  private readonly redis: RedisClient;
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(private readonly config: AppConfig) {
    // No offline queue: while Redis is down a command fails at once and the in-memory limiter answers.
    this.redis = openRedis(config, 'cairn-sign-in-limits', logger, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
  }

  /**
   * Runs `attempt` unless the account or the address is over its limit (then RATE_LIMITED with
   * `extensions.retryAfterSeconds`, and `attempt` does not run: a right password while locked is refused too).
   */
  async guard<T>(
    kind: SignInAttempt,
    account: string,
    address: string | undefined,
    attempt: () => Promise<T>,
  ): Promise<T> {
    const perAccount = this.limiter(`${kind}:account`, this.config.SIGN_IN_LIMIT_PER_ACCOUNT);
    const perAddress = this.limiter(`${kind}:address`, this.config.SIGN_IN_LIMIT_PER_ADDRESS);
    const accountKey = createHash('sha256').update(account).digest('base64url');
    const addressKey = address ?? 'unknown';
    const refusals = (
      await Promise.all([
        perAccount.consume(accountKey).then(allowed, refusal),
        perAddress.consume(addressKey).then(allowed, refusal),
      ])
    ).filter((r): r is RateLimiterRes => r !== undefined);
    if (refusals.length > 0) {
      const waitMs = Math.max(...refusals.map((r) => r.msBeforeNext));
      throw new AppError(ErrorCode.RATE_LIMITED, 'Too many attempts; try again later', {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      });
    }
    const result = await attempt();
    await Promise.all([perAccount.delete(accountKey), perAddress.reward(addressKey, 1)]);
    return result;
  }

  /** Connected: attempts are counted in Redis, together with every replica (otherwise in this process's memory). */
  get counting(): boolean {
    return this.redis.status === 'ready';
  }

  async onModuleDestroy(): Promise<void> {
    await closeRedis(this.redis);
  }

  private limiter(name: string, points: number): RateLimiterRedis {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const duration = this.config.SIGN_IN_LIMIT_WINDOW_SECONDS;
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `cairn:sign-in:${name}`,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

const allowed = () => undefined;

/** A consume refused for being over the limit resolves to its RateLimiterRes; any other error is rethrown. */
function refusal(error: unknown): RateLimiterRes {
  if (error instanceof RateLimiterRes) return error;
  throw error;
}
