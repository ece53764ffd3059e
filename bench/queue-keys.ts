import type { Queue } from "bullmq";

/** Deletes every Redis key of a bench queue (its workers are closed), so runs leave nothing behind. */
export async function deleteQueueKeys(queue: Queue): Promise<void> {
  await queue.obliterate({ force: true });
}
