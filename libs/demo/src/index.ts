export * from './demo-firm.js';
