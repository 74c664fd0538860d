# syntax=docker/dockerfile:1
# rackd: build the TypeScript and the native better-sqlite3 addon in one stage, run the compiled
# server as an unprivileged user in the next.
#   docker build -t rackd .
#   docker run -p 8080:8080 -v rackd-data:/data \
#     -e INITIAL_ADMIN_USERNAME=admin -e INITIAL_ADMIN_PASSWORD='change-me-please' rackd

FROM node:20-bookworm-slim AS build
# Toolchain for node-gyp: better-sqlite3 is compiled from source against this image's Node,
# using the headers the image ships instead of a downloaded prebuilt binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=better-sqlite3 \
    npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY schemas ./schemas
COPY src ./src
# tsc to dist/, plus the files read at run time (SQL migrations) copied next to the output.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/obj.target

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data
# iproute2: `ip -j -6 neigh show` gives discovery the MACs of IPv6 hosts (docs/discovery.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system rackd \
 && useradd --system --gid rackd --home-dir /data --no-create-home --shell /usr/sbin/nologin rackd \
 && mkdir -p /data \
 && chown rackd:rackd /data \
 && chmod 0700 /data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
USER rackd
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["server"]
