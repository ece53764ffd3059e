import type { z } from "zod";
import { type FieldIssue, ValidationError } from "../errors.js";

/** Turns zod issues into `{ field, reason }` pairs with dotted paths. */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // A strict object names each unknown key as a field of its own.
    if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ field: [...path, key].join("."), reason: "is not a known field" }));
    return [{ field: path.join("."), reason: issue.message }];
  });
}

/** Parses `input` with `schema` or throws a {@link ValidationError} naming each failed field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error));
  return result.data;
}
