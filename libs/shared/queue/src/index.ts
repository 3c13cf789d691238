export * from './job-catalog.js';
export * from './job-handler.decorator.js';
export * from './job-handler.registry.js';
export * from './job-id.js';
export * from './queue-health.js';
export * from './queue.module.js';
export * from './redis-connection.js';
export * from './job-scheduler.registrar.js';
export { closeGracefully as closeWorkerGracefully, queueProcessor } from './queue-processor.js';
