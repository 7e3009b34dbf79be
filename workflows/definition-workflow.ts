import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  announceDefinitionUpdate,
  createDefinitionUpdate,
  deleteDefinitionUpdate,
  executionEndedSignal,
  getDefinitionQuery,
  inFlightExecutionsQuery,
  MAX_PINS_PER_UPDATE,
  pinExecutionUpdate,
  pinExecutionsUpdate,
  updateDefinitionUpdate,
  type DefinitionWorkflowInput,
  type PinOutcome,
  type PinExecutionCommand,
  type UpdateDefinitionCommand,
} from '../src/contracts/definition-messages';
import { SA } from '../src/contracts/search-attributes';
import { dispatchable } from '../src/core/definition/dispatchable';
import {
  addressable,
  checkVersion,
  firstVersion,
  nextVersion,
  tombstoned,
  type ScopeIds,
  type StoredDefinition,
} from '../src/core/definition/stored';
import { definitionNotFound, EngineError, failedPrecondition } from '../src/core/errors';
import { recordInCatalog } from './definition/catalog-writer';
import { InFlightExecutions } from './definition/in-flight-executions';
import { InlinePins } from './definition/inline-pins';
import { oneAtATime } from './one-at-a-time';
import { setUpdateHandler } from './update-handler';

// Keeps each run's history small; state is carried over whole.
const MAX_CHANGES_PER_RUN = 500;
// Writes answer once the workspace's catalog has them; histories written before did not tell it.
const CATALOG_PATCH = 'definition-catalog';

/**
 * One long-lived entity workflow per (workspace, definitionId). Writes are applied one at a time,
 * so `ifVersion` is a true compare-and-set; validators turn away bad requests before history. It
 * also decides the rules that must not wait for visibility (docs/behaviour.md, "Definitions"): a
 * dispatch pins the version here, and a delete is refused while a pinned execution has not ended.
 */
export async function definitionWorkflow(input: DefinitionWorkflowInput): Promise<void> {
  let record: StoredDefinition | null = input.record;
  let changes = 0;
  const inFlight = new InFlightExecutions(input.workspaceId, input.inFlight ?? []);
  const inlinePins = new InlinePins();
  const serially = oneAtATime();
  // Set by a purging delete: the workflow ends, and no write is accepted until it has.
  let purged = false;

  const publish = (next: StoredDefinition): StoredDefinition => {
    record = next;
    changes += 1;
    // The memo shows the record beside the workflow in visibility and the Web UI; lists read the
    // workspace catalog instead (docs/behaviour.md, "Definitions").
    upsertMemo({ record: next });
    upsertSearchAttributes([
      { key: SA.kind, value: 'definition' },
      { key: SA.workspace, value: input.workspaceId },
      { key: SA.definitionId, value: next.definitionId },
      { key: SA.status, value: next.status },
      { key: SA.updatedAt, value: next.updatedAt },
      { key: SA.organizationId, value: next.content.scope.organizationId ?? '' },
      { key: SA.documentId, value: next.content.scope.documentId ?? '' },
    ]);
    return next;
  };

  /** The written record, once the workspace's catalog has recorded it. */
  const cataloged = async (next: StoredDefinition): Promise<StoredDefinition> => {
    if (patched(CATALOG_PATCH)) await recordInCatalog(input.workspaceId, input.definitionId, next);
    return next;
  };

  const activeRecord = (): StoredDefinition => {
    if (!record || record.status !== 'active') throw definitionNotFound(input.definitionId);
    return record;
  };

  setHandler(getDefinitionQuery, () => record);
  setHandler(inFlightExecutionsQuery, ({ limit }) => inFlight.view(limit));

  // Each handler runs its validator's check again on the state it finds, so a request the
  // validator saw on a stale state is refused (never applied); for updates that makes `ifVersion`
  // a true compare-and-set. Writes run one after another, each to its end.
  const notPurging = (): void => {
    if (purged) throw new EngineError('FAILED_PRECONDITION', `definition ${input.definitionId} is being purged; retry`);
  };
  const creatable = (): void => {
    notPurging();
    if (record?.status === 'active') throw new EngineError('ALREADY_EXISTS', `definition ${input.definitionId} already exists`);
  };
  setUpdateHandler(
    createDefinitionUpdate,
    // A tombstoned id is free again and restarts at version 1 (docs/api.md, "definitions/delete").
    (content) =>
      serially(() => {
        creatable();
        return cataloged(publish(firstVersion(content, Date.now())));
      }),
    (_content) => creatable(),
  );

  const updatable = ({ ifVersion }: UpdateDefinitionCommand): StoredDefinition => {
    const current = activeRecord();
    checkVersion(current, ifVersion);
    return current;
  };
  setUpdateHandler(
    updateDefinitionUpdate,
    (command) => serially(() => cataloged(publish(nextVersion(updatable(command), command.content, Date.now())))),
    (command) => void updatable(command),
  );

  const deletable = (ids: ScopeIds): StoredDefinition => addressable(record, input.definitionId, ids);
  setUpdateHandler(
    deleteDefinitionUpdate,
    (command) =>
      serially(async () => {
        deletable(command);
        await inFlight.settle(command.evidence ?? []);
        const current = deletable(command);
        if (inFlight.size > 0) {
          throw failedPrecondition(`definition ${input.definitionId} has ${inFlight.size} execution(s) in flight`);
        }
        const deleted = await cataloged(publish(tombstoned(current, Date.now())));
        // A purge ends the workflow once every handler has finished; the API then removes its
        // runs (docs/g3.md, "Deleting"). The catalog already knows the definition is gone.
        if (command.purge === true) purged = true;
        return deleted;
      }),
    (command) => void deletable(command),
  );

  setUpdateHandler(announceDefinitionUpdate, () => serially(() => recordInCatalog(input.workspaceId, input.definitionId, record)));

  // A pin is not a write: it only reads the current version, so it need not wait for writes.
  const pinnable = (command: PinExecutionCommand): StoredDefinition => {
    const current = dispatchable(record, input.definitionId, command);
    inFlight.checkRoom(input.definitionId);
    return current;
  };
  setUpdateHandler(
    pinExecutionUpdate,
    (command) => {
      const current = pinnable(command);
      inFlight.pin(command.executionId);
      changes += 1;
      return { version: current.version, record: inlinePins.fits(current) ? current : null };
    },
    (command) => void pinnable(command),
  );
  // Dispatches that arrived at one API together: one Update, one outcome each. A refusal is an
  // outcome, not a thrown error, so one refused dispatch never fails the others.
  setUpdateHandler(
    pinExecutionsUpdate,
    ({ pins }) => {
      const outcomes = pins.map((command): PinOutcome => {
        try {
          pinnable(command);
        } catch (error) {
          if (error instanceof EngineError) return { pinned: false, error: { status: error.status, message: error.message } };
          throw error;
        }
        inFlight.pin(command.executionId);
        return { pinned: true };
      });
      // One Update is one write to history however many it pins: a burst does not make the run
      // continue as new in its midst (the new run's first task would queue behind the burst's runs).
      changes += 1;
      const current = outcomes.some((outcome) => outcome.pinned) ? record : null;
      return { outcomes, version: current?.version ?? null, record: current && inlinePins.fits(current) ? current : null };
    },
    ({ pins }) => {
      if (pins.length === 0 || pins.length > MAX_PINS_PER_UPDATE) {
        throw new EngineError('INVALID_ARGUMENT', `a pin batch holds 1 to ${MAX_PINS_PER_UPDATE} executions, not ${pins.length}`);
      }
    },
  );
  setHandler(executionEndedSignal, ({ executionId }) => {
    inFlight.ended(executionId);
    changes += 1;
  });

  await condition(() => purged || changes >= MAX_CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  if (purged) return;
  await continueAsNew<typeof definitionWorkflow>({ ...input, record, inFlight: inFlight.carried() });
}
