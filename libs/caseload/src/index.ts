export * from './caseload.module.js';
