/**
 * What a value weighs as the JSON payload Temporal stores: UTF-8 bytes of its JSON text. Pure (no
 * Buffer), so workflow code can check a payload before it sends it.
 */
export const jsonPayloadBytes = (value: unknown): number => {
  const text = JSON.stringify(value) ?? '';
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character.
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
};

/**
 * The largest input a run hands to its continuation (docs/behaviour.md, "Workspace limits"): under
 * Temporal's default 2 MiB payload limit, with room for the payload codec's envelope.
 */
export const MAX_CARRIED_BYTES = 1_835_008;
