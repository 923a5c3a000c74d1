export { createApiServer, QUERY_LIMITS } from './server/create-api-server';
export type { ApiServer, ApiServerOptions } from './server/create-api-server';
export { buildSchema, loadTypeDefs } from './server/schema';
