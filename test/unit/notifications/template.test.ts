import { describe, expect, it } from 'vitest';
import { parseSlackBlocks, renderTemplate, type TemplateRoots } from '../../../src/core/notification/template';

/* Notification templates (docs/notifications.md, "Templates"): substitution only. */

const roots: TemplateRoots = {
  input: { decision: 'approve', score: 0.93, passed: true, none: null, findings: [{ id: 1 }], summary: { text: 'ok' } },
  execution: {
    executionId: 'exec_1',
    definitionId: 'doc-signoff',
    correlationId: 'corr_9',
    triggerContext: { page: { title: 'Pricing "v2"' } },
  },
  step: { stepId: 'step_notify_1', nodeId: 'notify', iteration: 2 },
};

const render = (template: string, max = 10_000) => renderTemplate(template, roots, max, 'body');

describe('renderTemplate', () => {
  it('substitutes dot paths from the three roots, spaces inside the braces allowed', () => {
    expect(
      render(
        '{{input.decision}} for {{ execution.triggerContext.page.title }} ({{execution.executionId}}, {{step.nodeId}} #{{step.iteration}})',
      ),
    ).toEqual({
      ok: true,
      text: 'approve for Pricing "v2" (exec_1, notify #2)',
    });
  });

  it('renders numbers and booleans as written, objects and arrays as JSON, array items by index', () => {
    expect(render('{{input.score}} {{input.passed}} {{input.summary}} {{input.findings}} {{input.findings.0.id}}')).toEqual({
      ok: true,
      text: '0.93 true {"text":"ok"} [{"id":1}] 1',
    });
  });

  it('renders a missing token, a null and a path through a scalar as the empty string', () => {
    expect(render('[{{input.nope}}][{{input.none}}][{{input.decision.length}}][{{other.root}}]')).toEqual({ ok: true, text: '[][][][]' });
  });

  it('never reads inherited properties (no prototype walking)', () => {
    expect(render('[{{input.constructor}}][{{input.__proto__}}][{{input.summary.toString}}]')).toEqual({ ok: true, text: '[][][]' });
  });

  it('evaluates nothing: anything that is not a plain dot path stays as written', () => {
    expect(render('{{input.score * 2}} {{#each input.findings}} { {input.decision} }')).toEqual({
      ok: true,
      text: '{{input.score * 2}} {{#each input.findings}} { {input.decision} }',
    });
  });

  it('refuses a rendering over the limit, naming the part', () => {
    expect(render('{{input.summary}}'.repeat(10), 100)).toEqual({ ok: false, message: 'the rendered body is longer than 100 characters' });
    expect(render('x'.repeat(101), 100).ok).toBe(false);
    expect(render('x'.repeat(100), 100).ok).toBe(true);
  });
});

describe('parseSlackBlocks', () => {
  it('accepts a JSON array of block objects', () => {
    expect(parseSlackBlocks('[{"type":"section","text":{"type":"mrkdwn","text":"hi"}}]')).toEqual({
      ok: true,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    });
  });

  it('refuses text that is not JSON, and JSON that is not an array of objects', () => {
    expect(parseSlackBlocks('hello').ok).toBe(false);
    expect(parseSlackBlocks('{"type":"section"}')).toEqual({
      ok: false,
      message: 'the rendered body must be a JSON array of Block Kit block objects',
    });
    expect(parseSlackBlocks('[1, 2]').ok).toBe(false);
  });
});
