import { type StartJobInput, StartJobInputSchema, ValidationError, toFieldIssues } from "@creatorsearch/core";

/**
 * Checks a job's input against the engine's own schema before the CLI opens a database or
 * creates a campaign, so a bad keyword or handle leaves nothing behind. Throws the
 * `ValidationError` the engine would (exit code 2).
 */
export function checkJobInput(input: Omit<StartJobInput, "campaignId">): void {
  // The campaign is created later; any id satisfies the schema here.
  const parsed = StartJobInputSchema.safeParse({ ...input, campaignId: "cli" });
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
}
