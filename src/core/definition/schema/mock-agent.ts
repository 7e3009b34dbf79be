/**
 * The reserved agent id of the synthetic agent (docs/behaviour.md, "Agents"). A module of its own,
 * free of zod, because workflow code reads it: every module the workflow bundle imports is
 * evaluated again for each cached workflow (docs/bench.md, "Worker memory").
 */
export const MOCK_AGENT_ID = '__mock__';
