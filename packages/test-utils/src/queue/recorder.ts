import type { Delivery, QueueConsumer, StepMessage } from "@creatorsearch/core";

/** One call of `handle`, as the consumer saw it. */
export interface DeliveryRecord {
  message: StepMessage;
  delivery: Delivery;
  /** `Date.now()` when `handle` was called. */
  at: number;
}

/** What the handler does with the n-th delivery (0-based) of a message; throw to fail it. */
export type Behaviour = (message: StepMessage, delivery: Delivery, nth: number) => Promise<void> | void;

/** A consumer that records every delivery and failure, and how many steps ran at once. */
export interface RecordingConsumer extends QueueConsumer {
  readonly deliveries: DeliveryRecord[];
  readonly failures: { message: StepMessage; error: unknown }[];
  /** Steps running now. */
  readonly running: number;
  /** Most steps that ran at once. */
  readonly maxRunning: number;
  /** Deliveries of messages for `jobId`. */
  of(jobId: string): DeliveryRecord[];
  /** Resolves once `done()` is true; rejects after `timeoutMs` naming `what`. */
  until(done: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

export function recordingConsumer(behaviour: Behaviour = () => undefined): RecordingConsumer {
  const deliveries: DeliveryRecord[] = [];
  const failures: { message: StepMessage; error: unknown }[] = [];
  const seen = new Map<string, number>();
  let running = 0;
  let maxRunning = 0;
  return {
    deliveries,
    failures,
    get running() {
      return running;
    },
    get maxRunning() {
      return maxRunning;
    },
    async handle(message, delivery) {
      deliveries.push({ message: { ...message }, delivery: { ...delivery }, at: Date.now() });
      const key = `${message.jobId}/${message.chain}/${message.step}`;
      const nth = seen.get(key) ?? 0;
      seen.set(key, nth + 1);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      try {
        await behaviour(message, delivery, nth);
      } finally {
        running -= 1;
      }
    },
    async onFailed(message, error) {
      failures.push({ message: { ...message }, error });
    },
    of: (jobId) => deliveries.filter((d) => d.message.jobId === jobId),
    async until(done, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await sleep(10);
      }
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
