export * from './check-ins.errors.js';
export * from './check-ins.module.js';
export * from './templates/checkin-prompt.model.js';
export * from './templates/checkin-prompt.rules.js';
export * from './templates/checkin-template-version.entity.js';
export * from './templates/checkin-template.entity.js';
export * from './templates/checkin-template.service.js';
