export { ensureTemporalCli, type TemporalCliSource } from './temporal-cli';
export { ensureTestServer, type TestServerSource } from './test-server';
export { ensureTemporalServerTools, type TemporalServerTools } from './temporal-server';
export { ensurePostgres, type PostgresTools } from './postgres';
export { ensureOpenssl } from './openssl';
export { ensureChromium, type ChromiumTools } from './chromium';
export { toolsDir, dataDir, PROJECT_ROOT } from './tool-paths';
export * from './versions';
