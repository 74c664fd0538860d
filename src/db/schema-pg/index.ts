export * from './users.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './inventory.ts';
export * from './oauth.ts';
export * from './discovery.ts';
export * from './webhooks.ts';
export * from './app-state.ts';
