import {
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  RequestMethod,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** Times every HTTP request to /graphql into `cairn_http_request_duration_seconds`. */
@Injectable()
export class GraphqlTimingMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer({ route: '/graphql', method: req.method });
    // 'close' comes after the response is sent and also when the client goes away first.
    res.once('close', () => end({ status_code: String(res.statusCode) }));
    next();
  }
}

/** GET /metrics (Prometheus) for the API; needs the QueueModule's QueueHealth and the AppConfig. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, GraphqlTimingMiddleware],
  exports: [MetricsService],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GraphqlTimingMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.ALL });
  }
}
