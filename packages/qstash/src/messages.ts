import type { StepMessage } from "@creatorsearch/core";
import { z } from "zod";

/**
 * A step message as published (the JSON body of a delivery). `priorAttempts` counts failed
 * deliveries of earlier messages for the same step (set when a `RetryAfterError` re-publishes
 * it), so attempts add up across re-publishes.
 */
export const StepMessageSchema = z.object({
  jobId: z.string().min(1),
  chain: z.string().min(1),
  step: z.number().int().min(0),
  priorAttempts: z.number().int().min(0).optional(),
});

/** The JSON body published for `message`. */
export function messageBody(message: StepMessage, priorAttempts = 0): Record<string, unknown> {
  const body: Record<string, unknown> = { jobId: message.jobId, chain: message.chain, step: message.step };
  if (priorAttempts > 0) body.priorAttempts = priorAttempts;
  return body;
}

/**
 * What QStash POSTs to the failure callback once a message has failed for good. Only
 * `sourceBody` (the original body, base64) is needed; the rest goes into the error message.
 */
export const FailureCallbackSchema = z.object({
  sourceBody: z.string(),
  sourceMessageId: z.string().optional(),
  status: z.number().optional(),
  retried: z.number().optional(),
  maxRetries: z.number().optional(),
  body: z.string().optional(),
  dlqId: z.string().optional(),
});

/** Parses a delivery body; `null` when it is not a step message. */
export function parseStepMessage(text: string): { message: StepMessage; priorAttempts: number } | null {
  try {
    const parsed = StepMessageSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const { priorAttempts = 0, ...message } = parsed.data;
    return { message, priorAttempts };
  } catch {
    return null;
  }
}

/**
 * Decodes a base64 field of a failure callback (QStash encodes bodies that way). Uses `atob`, not
 * `Buffer`, so the queue also runs on edge runtimes.
 */
export function fromBase64(value: string | undefined): string {
  if (!value) return "";
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
  } catch {
    return "";
  }
}
