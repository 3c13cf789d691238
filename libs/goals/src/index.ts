export * from './goals.errors.js';
export * from './goals.module.js';
export * from './goals/goal-access.service.js';
export * from './goals/goal.entity.js';
export * from './goals/goal.enums.js';
