# The Ramparts web app. Build: docker build -t ramparts . (the agent has its own: agents/Dockerfile)
FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json .npmrc ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci

FROM deps AS build
COPY . .
RUN npx next build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# V8 flags of the server (lib/config/server-node-flags.ts: a larger young generation for ingest).
ENV NODE_ENV=production PORT=3000 NODE_OPTIONS="--max-semi-space-size=32"
COPY --from=build /app /app
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Migrations run as the schema owner (MIGRATE_DATABASE_URL), the app as the unprivileged role.
CMD ["sh", "-c", "npx tsx scripts/db-migrate.ts && npx next start -p ${PORT}"]
