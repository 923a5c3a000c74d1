import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Database, NotificationBus } from '@lepton/db';
import { ScenarioService } from '@lepton/scenarios';
import { createRegistry, DomainError, type Principal, type Registry, type RegistryDependencies } from '@lepton/registry';
import express, { type ErrorRequestHandler } from 'express';
import { GraphQLError, parse, specifiedRules, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { GraphQLContext } from '../context';
import { createLoaders } from '../loaders';
import { errorCode, formatError } from './errors';
import { findUnstorableString, rejectUnstorableStrings, unstorableStringError } from './unstorable-strings';
import { buildSchema } from './schema';
import { uploadsHandler } from './uploads';

export interface ApiServerOptions {
  db: Database;
  bus: NotificationBus;
  /** Artifact store and training queue, as the registry needs them. */
  dependencies: RegistryDependencies;
  /** Largest accepted upload (POST /v1/uploads). */
  maxUploadBytes?: number;
  port?: number;
  host?: string;
  /** Production turns introspection and field suggestions off. */
  production?: boolean;
  /** Largest accepted request body; a full 10,000-point metric batch is about 700 kB. */
  bodyLimit?: string;
  /** Sent with every HTTP response and WebSocket handshake (e.g. which API process answered). */
  responseHeaders?: Record<string, string>;
}

export interface ApiServer {
  url: string;
  registry: Registry;
  httpServer: Server;
  close(): Promise<void>;
}

export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 5000,
  /** graphql-armor's static cost: objects 2, scalars 1, multiplied by depthCostFactor per level. */
  maxCost: 50_000,
  depthCostFactor: 1.2,
} as const;

export async function createApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const registry = createRegistry(options.db, options.bus, options.dependencies);
  const scenarios = new ScenarioService(options.db.prisma, registry, options.bus, options.dependencies.artifacts);
  const schema = buildSchema();
  const production = options.production ?? process.env['NODE_ENV'] === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // Enforced by graphql-js's own parser instead (parseOptions below): armor's plugin turns
    // plain syntax errors into 500s.
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: QUERY_LIMITS.depthCostFactor },
    blockFieldSuggestion: { enabled: production },
  }).protect();

  const app = express();
  app.disable('x-powered-by');
  const responseHeaders = Object.entries(options.responseHeaders ?? {});
  app.use((_req, res, next) => {
    for (const [name, value] of responseHeaders) res.setHeader(name, value);
    next();
  });
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  wsServer.on('headers', (headers) => headers.push(...responseHeaders.map(([name, value]) => `${name}: ${value}`)));
  const wsCleanup = useServer<{ authorization?: string; Authorization?: string }, { principal?: Principal; authorization?: string }>(
    {
      schema,
      // Same parse limits, validation rules and input checks as over HTTP.
      onSubscribe: (ctx, _id, payload) => {
        let document;
        try {
          document = parse(payload.query, { maxTokens: QUERY_LIMITS.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Invalid query')];
        }
        const errors = validate(schema, document, [...specifiedRules, ...armor.validationRules]);
        if (errors.length > 0) return errors;
        const unstorable = findUnstorableString(schema, document, payload.variables);
        if (unstorable) return [unstorableStringError(unstorable)];
        return {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: {
            principal: ctx.extra.principal!,
            authorization: ctx.extra.authorization ?? '',
            registry,
            scenarios,
            loaders: createLoaders(registry),
          } satisfies GraphQLContext,
        };
      },
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        try {
          ctx.extra.authorization = params.authorization ?? params.Authorization;
          ctx.extra.principal = await registry.auth.authenticate(ctx.extra.authorization);
          return true;
        } catch {
          return false;
        }
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => toGraphQLError(formatError(error, error))),
      // Subscription events go through the same masking as HTTP responses.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => formatError(error, error)) } : result,
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: !production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      rejectUnstorableStrings(schema),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: async () => wsCleanup.dispose() }) },
    ],
  });
  await apollo.start();

  app.get('/healthz', async (_req, res) => {
    try {
      await options.db.pool.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.post('/v1/uploads', uploadsHandler(registry, options.maxUploadBytes));
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '8mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        principal: await authenticate(registry, req.headers.authorization),
        authorization: req.headers.authorization ?? '',
        registry,
        scenarios,
        loaders: createLoaders(registry),
      }),
    }),
  );
  app.use(jsonErrors);

  await new Promise<void>((resolve, reject) => {
    // A port in use is an error the caller reports, not a crash.
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}/graphql`,
    registry,
    httpServer,
    close: () => (closing ??= apollo.stop()),
  };
}

async function authenticate(registry: Registry, authorization: string | undefined): Promise<Principal> {
  try {
    return await registry.auth.authenticate(authorization);
  } catch (error) {
    if (error instanceof DomainError) {
      throw new GraphQLError(error.message, { extensions: { code: errorCode(error.reason), http: { status: 401 } } });
    }
    throw error;
  }
}

function toGraphQLError(formatted: ReturnType<typeof formatError>): GraphQLError {
  return new GraphQLError(formatted.message, { extensions: formatted.extensions ?? {} });
}

/** Body-parser failures (malformed JSON, oversized bodies) answered as GraphQL errors, never HTML. */
const jsonErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    error?.type === 'entity.too.large'
      ? 'The request body is too large'
      : error?.type === 'entity.parse.failed'
        ? 'The request body is not valid JSON'
        : status === 500
          ? 'Internal server error'
          : 'The request could not be read';
  if (status === 500) console.error('[api] unexpected error', error);
  res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' } }] });
};
