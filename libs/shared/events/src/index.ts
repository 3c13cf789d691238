export * from './domain-events.js';
export * from './event-subscriber.js';
export * from './event-outbox.service.js';
export * from './event-delivery-outcomes.js';
export * from './events.module.js';
export * from './stored-event.entity.js';
