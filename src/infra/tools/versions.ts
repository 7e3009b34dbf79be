/** Every external tool version, in one place. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
// Later tags carry a `replace` directive in go.mod and cannot be `go install`ed directly.
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
export const TEMPORAL_TEST_SERVER_VERSION = '1.31.0';
/** The Temporal server and its SQL schema tool for `npm run cluster`; docker-compose.yml uses the same version. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_SERVER_PACKAGE = 'go.temporal.io/server/cmd/server';
export const TEMPORAL_SQL_TOOL_PACKAGE = 'go.temporal.io/server/cmd/tools/sql';
/** Debian's package; its major version is the one docker-compose.yml pins. */
export const POSTGRES_APT_PACKAGE = 'postgresql';
/**
 * The images of docker-compose.yml, which describes the same cluster as `npm run cluster`:
 * the same server version, PostgreSQL's major version as on Debian 12, the Web UI the tested
 * `temporal` CLI embeds. test/unit/infra/compose-in-step.test.ts holds the file to these.
 */
export const COMPOSE_IMAGES = {
  server: `temporalio/server:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`,
  adminTools: `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}-tctl-1.18.4-cli-1.5.0`,
  ui: 'temporalio/ui:2.42.1',
  postgres: 'postgres:15',
} as const;
