export { ensureTemporalCli, type TemporalCliSource } from './temporal-cli';
export { ensureTestServer, type TestServerSource } from './test-server';
export { toolsDir, dataDir, PROJECT_ROOT } from './tool-paths';
export * from './versions';
