/** Where the dashboard's server reaches the Lepton API (never the browser: it only talks to this app). */
export function apiEndpoints(env: NodeJS.ProcessEnv = process.env) {
  const graphql = new URL(env['LEPTON_API_URL'] || 'http://127.0.0.1:4000/graphql');
  const uploads = new URL('/v1/uploads', graphql);
  const websocket = new URL(graphql);
  websocket.protocol = graphql.protocol === 'https:' ? 'wss:' : 'ws:';
  return { graphql: graphql.href, uploads: uploads.href, websocket: websocket.href };
}
