export * from './api-keys/api-key.entity.js';
export * from './firms/firm.entity.js';
export * from './identity.module.js';
export * from './invitations/invitation.entity.js';
export * from './sessions/refresh-token.entity.js';
export * from './users/user.entity.js';
export * from './maintenance/purge-expired-credentials.job.js';
