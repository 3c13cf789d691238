export * from './nudges.module.js';
export * from './rules/nudge-rule.enum.js';
export * from './rules/nudge-item.js';
export * from './rules/nudge-composer.js';
export * from './policy/nudge-policy.entity.js';
export * from './policy/nudge-policy.service.js';
export * from './preferences/nudge-preference.entity.js';
export * from './planning/nudge-planner.service.js';
