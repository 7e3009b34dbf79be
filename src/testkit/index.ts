/**
 * `approval-engine/testkit`: run approval definitions against scripted scenarios on Temporal's
 * time-skipping test server, from vitest or any Node test runner. See docs/simulate.md.
 */
export { ApprovalSimulator, simulate, SimulationError } from './simulator';
export type { SimulatedAction, SimulatedEvent, SimulationResult, SimulatorOptions } from './simulator';
export { parseScenario, ScenarioError, ScenarioSchema } from './scenario';
export type { Scenario, ScenarioInput, ScenarioStep } from './scenario';
export { formatSimulation, formatVirtualTime } from './format';
export { isScriptedFailure, SimulationLogger } from './scripted-failures';
