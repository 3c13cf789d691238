export * from './health.controller.js';
export * from './health.module.js';
export * from './logging.module.js';
export * from './request-context.middleware.js';
export * from './http-app.js';
export * from './metrics.controller.js';
export * from './metrics.module.js';
export * from './metrics.service.js';
