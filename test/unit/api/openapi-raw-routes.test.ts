import { describe, expect, it } from 'vitest';
import { inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

/* /openapi.json also describes the inbound trigger route, which answers outside the { data } envelope (docs/inbound.md). */

const { app } = inMemoryApi({ workspaces: await inMemoryWorkspaces() });

describe('/openapi.json', () => {
  it('documents POST /v2/workflow/webhook-inbound/trigger: no token security, a raw JSON body, its { ok, code } answers', async () => {
    const document: any = await (await app.request('/openapi.json')).json();
    const trigger = document.paths['/v2/workflow/webhook-inbound/trigger']?.post;
    expect(trigger).toBeDefined();
    expect(trigger.security).toEqual([]);
    expect(trigger.requestBody.content['application/json'].schema).toEqual({ type: 'object' });
    expect(Object.keys(trigger.responses)).toEqual(['200', '400', '401', '404', '413', '429', '503']);
    expect(trigger.parameters.map((parameter: any) => parameter.name)).toEqual(
      expect.arrayContaining(['definitionId', 'triggerId', 'x-velt-api-key', 'x-hub-signature-256']),
    );
    // The generated endpoints are all still there.
    expect(document.paths['/v2/workflow/executions/dispatch']?.post).toBeDefined();
  });

  it('describes the route as it answers: a delivery without an API key gets 401 missing-api-key in the documented shape', async () => {
    const response = await app.request('/v2/workflow/webhook-inbound/trigger', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, code: 'missing-api-key' });
  });
});
