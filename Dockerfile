# guildkeeper in a container (docs/container.md). Two stages: `build` installs every dependency,
# bundles the TypeScript into dist/main.mjs and drops the dev dependencies; `runtime` holds only
# what the bot runs from, as the unprivileged user `node`, with its SQLite data in a volume.
#
#   docker build -t guildkeeper .
#   docker run -d --env-file .env -v guildkeeper-data:/app/data guildkeeper
#   docker compose up -d            # the bot and Postgres (docker-compose.yml)

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs ./scripts/build.mjs
COPY commands ./commands
COPY src ./src
RUN node scripts/build.mjs main \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_PORT=8080
WORKDIR /app
# package.json marks /app as the project root: the default database is /app/data/guildkeeper.db.
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY assets ./assets
COPY docker/entrypoint.sh docker/healthcheck.mjs ./docker/
# The data folder belongs to `node`; a new named volume mounted here takes that owner from the image.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8080
# GET /healthz on HTTP_PORT, with node (no curl in the image); see docker/healthcheck.mjs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=50", "--enable-source-maps", "dist/main.mjs"]
