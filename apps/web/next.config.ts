import path from 'node:path';
import type { NextConfig } from 'next';

const workspaceRoot = path.resolve(__dirname, '../..');

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // npm workspaces: dependencies live in the repository's node_modules.
  turbopack: { root: workspaceRoot },
  outputFileTracingRoot: workspaceRoot,
  // `npm run typecheck` checks the dashboard; the build `npm start` runs on first start skips it.
  typescript: { ignoreBuildErrors: true },
  // The live route's graphql-ws client runs on Node's ws; keep both out of the server bundle.
  serverExternalPackages: ['ws', 'graphql-ws'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default config;
