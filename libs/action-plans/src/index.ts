export * from './action-plans.module.js';
