# Web server and the non-Blender workers (generation, scoring, ratings).
# The Blender execution worker has its own image: blender-runner/Dockerfile.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 PRISMA_SCHEMA_ENGINE_BINARY=/usr/local/bin/node
RUN npx prisma generate && npx next build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 ARENA_DATA_DIR=/data
COPY --from=build /app /app
RUN useradd --system --uid 1001 arena && mkdir -p /data && chown arena /data
USER arena
EXPOSE 3000
# scripts/web-server.ts wraps Next: it computes the client address from the socket and
# TRUSTED_PROXIES (set it to the reverse proxy in front, see .env.example).
ENV PORT=3000
CMD ["node", "--conditions=react-server", "--import", "tsx", "scripts/web-server.ts"]
