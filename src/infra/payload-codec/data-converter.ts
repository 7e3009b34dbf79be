import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-codec';
import type { PayloadKey } from './payload-keys';

/**
 * The data converter the API's client and the worker share: the SDK default, plus payload
 * encryption when keys are configured. Both sides must be given the same keys.
 */
export const engineDataConverter = (keys: readonly PayloadKey[] | undefined): DataConverter | undefined =>
  keys && keys.length > 0 ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : undefined;
