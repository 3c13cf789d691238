export * from './health.controller.js';
export * from './health.module.js';
export * from './logging.module.js';
export * from './request-context.middleware.js';
export * from './http-app.js';
