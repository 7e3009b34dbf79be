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
