import type { ExecutionView, WorkItemView } from '../../src/contracts/execution-messages';
import type { StepView } from '../../src/core/interpreter';
import type { ReviewerResponse } from '../../src/core/interpreter/state';
import { JsonBlock, Layout, StatusBadge, formatTime } from './layout';

export interface ReviewPageModel {
  /** The form posts back to the link itself: the token is what authorises it. */
  action: string;
  reviewerId: string;
  expiresAt: number;
  view: ExecutionView;
  workItem: WorkItemView;
  step: StepView;
  /** Set when the form was sent and refused (e.g. a reason too long); shown above the form. */
  problem?: string | undefined;
}

interface ReviewerRow {
  userId: string;
  mandatory: boolean;
  response: ReviewerResponse | undefined;
}

const reviewerRows = (model: ReviewPageModel): ReviewerRow[] => {
  const declared = Array.isArray(model.step.output.reviewers)
    ? (model.step.output.reviewers as Array<{ userId: string; mandatory: boolean }>)
    : [];
  const responses = model.workItem.humanSteps.find((entry) => entry.stepId === model.step.stepId)?.responses ?? [];
  return declared.map((reviewer) => ({ ...reviewer, response: responses.find((response) => response.reviewerId === reviewer.userId) }));
};

const nodeOf = (model: ReviewPageModel) => model.workItem.definition.content.nodes.find((node) => node.nodeId === model.step.nodeId);

/** Steps that finished before this one started: what the reviewer is asked to judge. */
const previousSteps = (model: ReviewPageModel): StepView[] =>
  model.view.steps.filter(
    (step) => step.stepId !== model.step.stepId && step.completedAt !== null && step.completedAt <= (model.step.startedAt ?? Infinity),
  );

const DecisionText = ({ response }: { response: ReviewerResponse }) => (
  <span>
    <span class={`decision-${response.decision}`}>{response.decision === 'approve' ? 'Approved' : 'Rejected'}</span>{' '}
    <span class="muted">at {formatTime(response.at)}</span>
    {response.reason ? <span> — “{response.reason}”</span> : null}
  </span>
);

export const ReviewPage = (model: ReviewPageModel) => {
  const node = nodeOf(model);
  const rows = reviewerRows(model);
  const own = rows.find((row) => row.userId === model.reviewerId)?.response;
  const commentBody = typeof model.step.output.commentBody === 'string' ? model.step.output.commentBody : null;
  const definition = model.workItem.definition;
  return (
    <Layout title={`Review: ${node?.name ?? model.step.nodeId}`}>
      <section class="card">
        <p class="muted">
          {definition.content.name} (v{definition.version}) · run <code>{model.view.executionId}</code>
        </p>
        <h1>{node?.name ?? model.step.nodeId}</h1>
        {node?.description ? <p>{node.description}</p> : null}
        {commentBody ? <p class="notice">{commentBody}</p> : null}
        <p>
          You are reviewing as <strong data-testid="reviewer">{model.reviewerId}</strong>. This link expires {formatTime(model.expiresAt)}.
        </p>
      </section>

      <section class="card" aria-labelledby="context-heading">
        <h2 id="context-heading">Work item</h2>
        {model.workItem.organizationId || model.workItem.documentId ? (
          <p class="muted">
            {model.workItem.organizationId ? `organization ${model.workItem.organizationId} ` : ''}
            {model.workItem.documentId ? `document ${model.workItem.documentId}` : ''}
          </p>
        ) : null}
        <JsonBlock value={model.workItem.triggerContext} />
      </section>

      <section class="card" aria-labelledby="previous-heading">
        <h2 id="previous-heading">Previous steps</h2>
        {previousSteps(model).length === 0 ? (
          <p class="muted">This is the first step of the run.</p>
        ) : (
          previousSteps(model).map((step) => (
            <details open>
              <summary>
                <strong>{step.nodeId}</strong> <StatusBadge status={step.status} />{' '}
                <span class="muted">{formatTime(step.completedAt)}</span>
              </summary>
              <JsonBlock value={step.output} limit={4000} />
            </details>
          ))
        )}
      </section>

      <section class="card" aria-labelledby="reviewers-heading">
        <h2 id="reviewers-heading">Reviewers on this step</h2>
        <table id="reviewers">
          <thead>
            <tr>
              <th scope="col">Reviewer</th>
              <th scope="col">Mandatory</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-reviewer={row.userId}>
                <td>
                  {row.userId}
                  {row.userId === model.reviewerId ? ' (you)' : ''}
                </td>
                <td>{row.mandatory ? 'yes' : 'no'}</td>
                <td>{row.response ? <DecisionText response={row.response} /> : <span class="muted">waiting</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="decision-heading">
        <h2 id="decision-heading">Your decision</h2>
        {own ? (
          <p class="notice" role="status">
            You have decided: <DecisionText response={own} />. The step waits for the other reviewers.
          </p>
        ) : (
          <form method="post" action={model.action}>
            {model.problem ? (
              <p class="notice refusal" role="alert">
                {model.problem}
              </p>
            ) : null}
            <label for="reason">Reason (optional, shown to everyone on this run)</label>
            <textarea id="reason" name="reason" maxlength={2000}></textarea>
            <div>
              <button type="submit" name="decision" value="approve" class="approve">
                Approve
              </button>
              <button type="submit" name="decision" value="reject" class="reject">
                Reject
              </button>
            </div>
          </form>
        )}
      </section>
    </Layout>
  );
};
