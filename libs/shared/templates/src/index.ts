export * from './email-templates.js';
export * from './url-pattern.js';
