import type { EventsPage, ExecutionView, WorkItemView } from '../../src/contracts/execution-messages';
import type { StoredDefinition } from '../../src/core/definition/stored';
import type { DefinitionVersions } from '../../src/infra/temporal/definition-versions';
import type { StepView } from '../../src/core/interpreter';
import type { OperatorSession } from '../../src/infra/ui/operator-session';
import { layoutDefinition } from '../../src/infra/ui/definition-graph';
import { GraphSvg } from './graph-svg';
import { STEP_ACTION_LABELS, stepActionsFor } from './step-actions';
import { JsonBlock, Layout, StatusBadge, formatTime } from './layout';

export const Nav = ({ session, csrf }: { session: OperatorSession; csrf: string }) => (
  <>
    <a href="/ui/inbox">Inbox</a>
    <span>
      {session.workspaceId} ({session.role})
    </span>
    <form method="post" action="/ui/sign-out" style="margin:0">
      <input type="hidden" name="csrf" value={csrf} />
      <button type="submit" style="margin:0">
        Sign out
      </button>
    </form>
  </>
);

export const SignInPage = ({ csrf, problem }: { csrf: string; problem?: string | undefined }) => (
  <Layout title="Sign in">
    <section class="card">
      <h1>Sign in</h1>
      <p class="muted">Use your workspace's API credentials: the same pair the REST API takes as x-velt-api-key and x-velt-auth-token.</p>
      {problem ? (
        <p class="notice refusal" role="alert">
          {problem}
        </p>
      ) : null}
      <form method="post" action="/ui/sign-in">
        <input type="hidden" name="csrf" value={csrf} />
        <label for="apiKey">API key</label>
        <input id="apiKey" name="apiKey" type="text" autocomplete="username" required />
        <label for="authToken">Auth token</label>
        <input id="authToken" name="authToken" type="password" autocomplete="current-password" required />
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
    </section>
  </Layout>
);

export interface InboxRow {
  executionId: string;
  definitionId: string;
  step: StepView;
}

export interface InboxFilters {
  definitionId?: string | undefined;
  reviewer?: string | undefined;
  organizationId?: string | undefined;
  documentId?: string | undefined;
}

export interface InboxModel {
  filters: InboxFilters;
  rows: InboxRow[];
  page: number;
  hasMore: boolean;
  scannedRuns: number;
  scanLimitReached: boolean;
}

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

const pageLink = (filters: InboxFilters, page: number): string => {
  const query = new URLSearchParams(
    Object.entries({ ...filters, page: String(page) }).filter((entry): entry is [string, string] => !!entry[1]),
  );
  return `/ui/inbox?${query.toString()}`;
};

export const InboxPage = ({ model, nav }: { model: InboxModel; nav: unknown }) => (
  <Layout title="Inbox" nav={nav as never}>
    <section class="card">
      <h1>Waiting for review</h1>
      <form method="get" action="/ui/inbox" class="filters" aria-label="Filters">
        {(
          [
            ['definitionId', 'Definition'],
            ['reviewer', 'Reviewer'],
            ['organizationId', 'Organization'],
            ['documentId', 'Document'],
          ] as const
        ).map(([name, label]) => (
          <div>
            <label for={`filter-${name}`}>{label}</label>
            <input id={`filter-${name}`} name={name} type="text" value={model.filters[name] ?? ''} />
          </div>
        ))}
        <div>
          <button type="submit">Filter</button>
        </div>
      </form>
    </section>
    <section class="card">
      {model.rows.length === 0 ? (
        <p class="muted">No waiting human steps match.</p>
      ) : (
        <table id="inbox">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Definition</th>
              <th scope="col">Step</th>
              <th scope="col">Waiting since</th>
              <th scope="col">Reviewers</th>
              <th scope="col">Responses</th>
            </tr>
          </thead>
          <tbody>
            {model.rows.map((row) => (
              <tr data-execution-id={row.executionId}>
                <td>
                  <a href={`/ui/runs/${encodeURIComponent(row.executionId)}`}>{row.executionId}</a>
                </td>
                <td>
                  <a href={`/ui/definitions/${encodeURIComponent(row.definitionId)}`}>{row.definitionId}</a>
                </td>
                <td>{row.step.nodeId}</td>
                <td>{formatTime(row.step.startedAt)}</td>
                <td>{Array.isArray(row.step.output.reviewerIds) ? (row.step.output.reviewerIds as string[]).join(', ') : ''}</td>
                <td>{`${count(row.step.output.totalResponses)} (${count(row.step.output.approveCount)} approve, ${count(row.step.output.rejectCount)} reject)`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages" style="margin-top:.8rem">
        {model.page > 1 ? <a href={pageLink(model.filters, model.page - 1)}>← Newer</a> : null}{' '}
        {model.hasMore ? <a href={pageLink(model.filters, model.page + 1)}>Older →</a> : null}
      </nav>
      <p class="muted">
        Page {model.page}; looked at the {model.scannedRuns} newest running runs
        {model.scanLimitReached ? ' (the most the inbox reads; narrow with a definition filter)' : ''}.
      </p>
    </section>
  </Layout>
);

export interface RunModel {
  view: ExecutionView;
  workItem: WorkItemView;
  events: EventsPage;
  session: OperatorSession;
  csrf: string;
  notice?: string | undefined;
  /** Why an action was not applied. */
  problem?: string | undefined;
}

const latestStatus = (view: ExecutionView) => {
  const byNode = new Map<string, string>();
  for (const step of view.steps) byNode.set(step.nodeId, step.status);
  return (nodeId: string) => byNode.get(nodeId);
};

/** One open step's admin actions (docs/ui.md, "Operator pages"): the same checks as steps/resolve and steps/cancel. */
const StepActionForm = ({ executionId, step, csrf }: { executionId: string; step: StepView; csrf: string }) => {
  const actions = stepActionsFor(step);
  if (actions.length === 0) return <span class="muted">—</span>;
  const id = (field: string) => `${field}-${step.stepId}`;
  return (
    <form
      method="post"
      action={`/ui/runs/${encodeURIComponent(executionId)}/steps/${encodeURIComponent(step.stepId)}/act`}
      aria-label={`Admin actions for step ${step.nodeId}`}
    >
      <input type="hidden" name="csrf" value={csrf} />
      <label for={id('action')}>Action on {step.nodeId}</label>
      <select id={id('action')} name="action">
        {actions.map((action) => (
          <option value={action}>{STEP_ACTION_LABELS[action]}</option>
        ))}
      </select>
      <label for={id('actor')}>Acting as (actorId)</label>
      <input id={id('actor')} name="actorId" type="text" maxlength={256} required value="operator" />
      <label for={id('reason')}>Reason</label>
      <input id={id('reason')} name="reason" type="text" maxlength={500} placeholder="optional" />
      <div>
        <button type="submit">Apply to {step.nodeId}</button>
      </div>
    </form>
  );
};

export const RunPage = ({ model, nav }: { model: RunModel; nav: unknown }) => {
  const { view, workItem } = model;
  const running = view.status === 'running';
  const admin = running && model.session.role === 'admin';
  return (
    <Layout title={`Run ${view.executionId}`} nav={nav as never}>
      <section class="card">
        <p class="muted">
          <a href={`/ui/definitions/${encodeURIComponent(view.definitionId)}`}>{workItem.definition.content.name}</a> (v
          {view.definitionVersion})
        </p>
        <h1>
          Run {view.executionId} <StatusBadge status={view.status} />
        </h1>
        <p class="muted">
          started {formatTime(view.startedAt)} · correlation {view.correlationId}
          {view.failureReason ? ` · failure: ${view.failureReason.code}: ${view.failureReason.message}` : ''}
        </p>
        {model.notice ? (
          <p class="notice" role="status">
            {model.notice}
          </p>
        ) : null}
        {model.problem ? (
          <p class="notice refusal" role="alert">
            {model.problem}
          </p>
        ) : null}
        {admin ? (
          <form method="post" action={`/ui/runs/${encodeURIComponent(view.executionId)}/cancel`}>
            <input type="hidden" name="csrf" value={model.csrf} />
            <label for="cancel-reason">Cancel this run (admin)</label>
            <input id="cancel-reason" name="reason" type="text" maxlength={500} placeholder="reason (optional)" />
            <div>
              <button type="submit" class="reject">
                Cancel run
              </button>
            </div>
          </form>
        ) : null}
      </section>
      <section class="card" aria-labelledby="graph-heading">
        <h2 id="graph-heading">Graph</h2>
        <GraphSvg
          graph={layoutDefinition(workItem.definition.content)}
          title={`${workItem.definition.content.name}: step statuses`}
          statusOf={latestStatus(view)}
        />
      </section>
      <section class="card" aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        <table id="steps">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Node</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Completed</th>
              {admin ? <th scope="col">Admin actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {view.steps.map((step) => (
              <tr data-step-id={step.stepId}>
                <td>
                  <code>{step.stepId}</code>
                </td>
                <td>{step.nodeId}</td>
                <td>
                  <StatusBadge status={step.status} />
                </td>
                <td>{formatTime(step.startedAt)}</td>
                <td>{formatTime(step.completedAt)}</td>
                {admin ? (
                  <td>
                    <StepActionForm executionId={view.executionId} step={step} csrf={model.csrf} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="context-heading">
        <h2 id="context-heading">Trigger context</h2>
        <JsonBlock value={workItem.triggerContext} />
      </section>
      <section class="card" aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <ol id="events">
          {model.events.events.map((event) => (
            <li>
              <code>{event.type}</code> {event.stepId ? <span class="muted">{event.stepId}</span> : null}{' '}
              <span class="muted">{formatTime(event.timestamp)}</span>
            </li>
          ))}
        </ol>
        {model.events.hasMore ? <p class="muted">Older events continue in executions/getEvents.</p> : null}
      </section>
      <section class="card" aria-labelledby="dead-heading">
        <h2 id="dead-heading">Webhook dead letters</h2>
        {view.webhookDeadLetters.length === 0 ? <p class="muted">None.</p> : <JsonBlock value={view.webhookDeadLetters} />}
      </section>
    </Layout>
  );
};

export interface DefinitionPageProps {
  /** The version drawn: the current one, or one picked from the history. */
  definition: StoredDefinition;
  current: StoredDefinition;
  history: DefinitionVersions;
  nav: unknown;
}

const versionLink = (definition: StoredDefinition, current: StoredDefinition) =>
  `/ui/definitions/${encodeURIComponent(definition.definitionId)}${definition.version === current.version ? '' : `?version=${definition.version}`}`;

export const DefinitionPage = ({ definition, current, history, nav }: DefinitionPageProps) => (
  <Layout title={`Definition ${definition.definitionId}`} nav={nav as never}>
    <section class="card">
      <h1>{definition.content.name}</h1>
      <p class="muted">
        {definition.definitionId} · version {definition.version}
        {definition.version === current.version ? ' (current)' : ` (current: ${current.version})`} · {definition.content.generation ?? 'g2'}{' '}
        · updated {formatTime(definition.updatedAt)}
      </p>
      {definition.content.description ? <p>{definition.content.description}</p> : null}
    </section>
    <section class="card" aria-labelledby="graph-heading">
      <h2 id="graph-heading">Graph</h2>
      <GraphSvg
        graph={layoutDefinition(definition.content)}
        title={`${definition.content.name}, version ${definition.version}: nodes, edges, groups and loops`}
      />
    </section>
    <section class="card" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Version history</h2>
      <table id="versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Written</th>
            <th scope="col">Name</th>
            <th scope="col">Nodes</th>
            <th scope="col">Edges</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {history.versions.map((version) => (
            <tr data-version={String(version.version)}>
              <td>
                {version.version === definition.version ? (
                  <strong aria-current="page">v{version.version}</strong>
                ) : (
                  <a href={versionLink(version, current)}>v{version.version}</a>
                )}
              </td>
              <td>{formatTime(version.updatedAt)}</td>
              <td>{version.content.name}</td>
              <td>{version.content.nodes.length}</td>
              <td>{version.content.edges.length}</td>
              <td>
                <StatusBadge
                  status={version.status === 'active' ? (version.version === current.version ? 'current' : 'earlier') : version.status}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {history.complete ? null : (
        <p class="muted">Older versions exist beyond what this page reads (the newest runs of the definition's workflow).</p>
      )}
    </section>
  </Layout>
);
