# One image for both processes: `npm run api` or `npm run worker` against TEMPORAL_ADDRESS.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
# The code stays root-owned and read-only to the process, which runs as the image's unprivileged
# `node` user (uid 1000): a compromised process can neither rewrite the engine nor act as root.
USER node
EXPOSE 8080
CMD ["npm", "run", "api"]
