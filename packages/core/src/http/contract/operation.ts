import type { z } from "zod";

/** One answer of an operation, other than the errors every operation of its kind has. */
export interface AnswerDoc {
  description: string;
  /** A JSON body, validated by this schema. */
  json?: z.ZodType;
  /** A body of another type (CSV, server-sent events, an image), by media type, with a JSON Schema when one applies. */
  content?: Record<string, { schema?: Record<string, unknown> }>;
  /** Response headers worth documenting. */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/**
 * What a route declares about itself for the OpenAPI document: the same zod schemas that parse
 * its input, and the schemas of what it answers. Errors every route of a kind can answer (401
 * when signed out, 400/413/415 for a JSON body, 414, 500) are added by the generator.
 */
export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Path parameters, one property per `:name` of the route's path. */
  params?: z.ZodObject;
  /** Query parameters, one property each. */
  query?: z.ZodObject;
  /** The JSON body. */
  body?: z.ZodType;
  /** Success answers and the errors specific to this route, by status. */
  answers: Record<number, AnswerDoc>;
}
