import { describe, expect, it } from 'vitest';
import { ServiceError } from '@temporalio/client';
import { grpcStatus } from '../../../src/infra/temporal/grpc-status';

const status = (code: number, fields: { details?: unknown; message?: string }) =>
  Object.assign(new Error(fields.message ?? ''), { code, ...(fields.details === undefined ? {} : { details: fields.details }) });

describe('grpcStatus', () => {
  it('finds the status under a ServiceError of the client, with its details and message', () => {
    const error = new ServiceError('Workflow Update failed', {
      cause: status(14, { details: 'Workflow Update was aborted.', message: '14 UNAVAILABLE: Workflow Update was aborted.' }),
    });
    expect(grpcStatus(error)).toEqual({
      code: 14,
      details: 'Workflow Update was aborted.',
      message: '14 UNAVAILABLE: Workflow Update was aborted.',
    });
  });

  it('leaves out details that are not text', () => {
    expect(grpcStatus(status(8, { details: [{ reason: 'x' }], message: 'rate limit' }))).toEqual({
      code: 8,
      details: undefined,
      message: 'rate limit',
    });
  });

  it('answers nothing for an error without a status, or one buried too deep', () => {
    expect(grpcStatus(new Error('plain'))).toBeUndefined();
    expect(grpcStatus(undefined)).toBeUndefined();
    let deep: Error = status(9, { details: 'deep' });
    for (let i = 0; i < 6; i += 1) deep = new Error(`wrapper ${i}`, { cause: deep });
    expect(grpcStatus(deep)).toBeUndefined();
    expect(grpcStatus(new Error('one wrapper', { cause: status(9, { details: 'near' }) }))?.details).toBe('near');
  });
});
