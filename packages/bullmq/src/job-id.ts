/**
 * BullMQ job ids from idempotency keys. BullMQ refuses custom ids that contain `:` (its key
 * separator) or are all digits, and core's step keys are `jobId:chain:step`. Percent-encoding
 * removes every `:` and the `s-` prefix rules out an all-digit id, and both are reversible, so a
 * dashboard still shows which step a BullMQ job is.
 */

const PREFIX = "s-";

/** The BullMQ job id of an idempotency key (reversible with {@link idempotencyKeyOf}). */
export function jobIdOf(idempotencyKey: string): string {
  if (!idempotencyKey) throw new TypeError("idempotencyKey must be a non-empty string");
  return PREFIX + encodeURIComponent(idempotencyKey);
}

/** The idempotency key a BullMQ job id was made from, or `null` if it was not made by {@link jobIdOf}. */
export function idempotencyKeyOf(jobId: string): string | null {
  if (!jobId.startsWith(PREFIX)) return null;
  try {
    return decodeURIComponent(jobId.slice(PREFIX.length));
  } catch {
    return null;
  }
}
