# The API image (docker compose). The worker and web images will follow the same pattern.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NX_NO_CLOUD=true NX_DAEMON=false NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY tools/prisma ./tools/prisma
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY apps ./apps
COPY libs ./libs
COPY tsconfig.base.json tsconfig.json ./
RUN npm ci
ENV HOST=0.0.0.0 PORT=4000 NODE_ENV=production
EXPOSE 4000
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
