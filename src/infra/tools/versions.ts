/** Every external tool version, in one place. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
// Later tags carry a `replace` directive in go.mod and cannot be `go install`ed directly.
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';
export const TEMPORAL_TEST_SERVER_VERSION = '1.31.0';
