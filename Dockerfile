# syntax=docker/dockerfile:1
# Aegis controller image: `docker build -f Dockerfile -t aegis:0.1.0 .` (upstream's command works as is).
# Three stages: production dependencies only, the TypeScript build, and a slim runtime that runs as a non-root
# user on a read-only root filesystem (writes go to /tmp, an emptyDir in manifest/deploy). tini is PID 1: it
# forwards SIGTERM/SIGINT to Node (which stops gracefully, docs/decisions/0013-start-and-stop.md) and reaps
# children. No kubectl, no TypeScript tooling and no dev dependencies in the final image.

FROM node:22-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-assets.js scripts/
COPY prompts prompts
COPY src src
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="aegis" \
      org.opencontainers.image.description="Chat-ops for Kubernetes operations: alerts become AegisAlert resources, rules run Argo Workflow SOPs, Slack and an LLM keep humans in the loop." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/scitix/aegis" \
      org.opencontainers.image.documentation="https://github.com/scitix/aegis/blob/main/docs/install.md" \
      org.opencontainers.image.base.name="docker.io/library/node:22-bookworm-slim"
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 aegis \
    && useradd --system --uid 10001 --gid aegis --home-dir /tmp --shell /usr/sbin/nologin aegis
WORKDIR /app
ENV NODE_ENV=production \
    AEGIS_SANDBOX=false \
    AEGIS_STATE_DIR=/tmp/aegis \
    AEGIS_HTTP_PORT=8080
COPY --from=dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY bin bin
COPY prompts prompts
COPY manifest/install manifest/install
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/aegis.js"]
CMD ["serve"]
