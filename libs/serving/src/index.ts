export { startServing } from './serving-server';
export type { ServingOptions, ServingServer } from './serving-server';
export { servingConfigFromEnv, DEFAULT_SERVING_PORT } from './serving-config';
export type { ServingConfig } from './serving-config';
export { REVISION_HEADER } from './http/serving-handler';
export { ROUTING_KEY_HEADER, routingBucket } from './routing/traffic';
