import type { StepMessage } from "@creatorsearch/core";
import { z } from "zod";

/** A step message as published (the JSON body of a delivery). */
export const StepMessageSchema = z.object({
  jobId: z.string().min(1),
  chain: z.string().min(1),
  step: z.number().int().min(0),
});

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
export function parseStepMessage(text: string): StepMessage | null {
  try {
    const parsed = StepMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Decodes a base64 field of a failure callback (QStash encodes bodies that way). */
export function fromBase64(value: string | undefined): string {
  return value ? Buffer.from(value, "base64").toString("utf8") : "";
}
