export * from '../../support/builders.js';
