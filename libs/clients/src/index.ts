export * from './access/caseload-access.service.js';
export * from './clients.errors.js';
export * from './clients.module.js';
export * from './clients/client.model.js';
export * from './clients/client.service.js';
export * from './engagements/engagement.entity.js';
export * from './engagements/engagement.service.js';
export * from './profiles/profile.entity.js';
