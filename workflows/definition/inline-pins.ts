import type { StoredDefinition } from '../../src/core/definition/stored';

/**
 * Serialized size up to which a pin's reply carries the pinned version itself. Every reply is
 * written to the definition's history, so a burst of dispatches of a large definition would grow
 * it by megabytes; those replies carry only the version number, and the API reads the record.
 */
export const MAX_INLINE_PIN_CHARS = 64 * 1024;

/** Whether a version fits a pin's reply; measured once per version. */
export class InlinePins {
  private measured: { record: StoredDefinition; fits: boolean } | null = null;

  fits(record: StoredDefinition): boolean {
    if (this.measured?.record !== record) {
      this.measured = { record, fits: JSON.stringify(record).length <= MAX_INLINE_PIN_CHARS };
    }
    return this.measured.fits;
  }
}
