# One image for both processes: `npm run api` or `npm run worker` against TEMPORAL_ADDRESS.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
EXPOSE 8080
CMD ["npm", "run", "api"]
