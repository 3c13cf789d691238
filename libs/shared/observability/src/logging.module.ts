import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '#cairn/shared/config';
import { RequestContext } from '#cairn/shared/tenancy';
import { redactRequestSecrets } from './log-redaction.js';

/** JSON logs (pino). HTTP logs carry the request id and, once authenticated, the tenant and user ids. */
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.LOG_LEVEL,
              base: { service: config.SERVICE_NAME ?? service },
              genReqId: (req: IncomingMessage) => RequestContext.requestId() ?? String(req.headers['x-request-id'] ?? ''),
              customProps: () => {
                const actor = RequestContext.actor();
                return actor ? { tenantId: actor.tenantId, userId: actor.userId, apiKeyId: actor.apiKeyId } : {};
              },
              // Probes and scrapes would drown the log.
              autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)(\/|\?|$)/.test(req.url ?? '') },
              redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
              // Calendar feed addresses carry their secret in the path.
              serializers: { req: redactRequestSecrets },
            },
            // Silent logs nothing, so no request gets the per-request loggers (a child logger with the request
            // serialized into it, and a context to carry it) that only a written line would use.
            ...(config.LOG_LEVEL === 'silent' ? { forRoutes: [] } : {}),
          }),
        }),
      ],
    };
  }
}
