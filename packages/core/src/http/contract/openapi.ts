import { z } from "zod";
import { INTEGER_PARAM } from "../request.js";
import type { Route } from "../router.js";
import { ErrorAnswer } from "./answers.js";
import type { AnswerDoc } from "./operation.js";

/** Options of {@link openApiDocument}. */
export interface OpenApiOptions {
  /** Where the routes are mounted, e.g. `/api` (becomes the server URL). */
  basePath: string;
  /** `info.version`. Default `"0"`. */
  version?: string;
}

/** An OpenAPI 3.1 document (a plain JSON value). */
export type OpenApiDocument = Record<string, unknown> & { openapi: "3.1.0"; paths: Record<string, Record<string, unknown>> };

type Json = Record<string, unknown>;

/** What each tag of the routes groups. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  campaigns: "A user's campaigns: the containers of their searches",
  searches: "Start a search job on a platform, and poll its progress and creators",
  jobs: "Follow, export and cancel a search job",
  roster: "A campaign's creators, once each, with the team's status, notes and tags; bulk changes and export",
  webhooks: "Deliveries of push queues (QStash), signed; not for clients",
  images: "Avatars and thumbnails from allowed CDN hosts, through this server",
  meta: "About this API",
};

/**
 * Builds the OpenAPI 3.1 document of `routes` from the zod schemas they parse their input with and
 * answer with (each route's `doc`), so the document cannot drift from the handler. Named schemas
 * (`.meta({ id })`) go to `components.schemas`.
 */
export function openApiDocument(routes: readonly Route[], options: OpenApiOptions): OpenApiDocument {
  const schemas: Json = {};
  // Every named schema is registered once, so each $ref points into components.schemas.
  const convert = (schema: z.ZodType, io: "input" | "output"): Json => {
    const converted = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
    // Named schemas come out as $defs of each conversion: they move to components.schemas.
    const moved = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json & { $defs?: Json };
    const { $schema: _dialect, $defs, ...rest } = moved;
    for (const [id, def] of Object.entries($defs ?? {})) schemas[id] ??= def;
    return rest;
  };
  const errorRef = { $ref: "#/components/schemas/Error" };
  convert(ErrorAnswer, "output"); // registers it in components.schemas
  const errorAnswer = (description: string, headers?: AnswerDoc["headers"]) => ({
    description,
    content: { "application/json": { schema: errorRef } },
    ...(headers ? { headers } : {}),
  });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = route.doc;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const parameters: Json[] = [];
    const parameter = (name: string, where: "path" | "query", schema: z.ZodType) => {
      const { description, [INTEGER_PARAM]: integer, ...converted } = convert(schema, "input");
      // A whole number sent as digits: documented as the integer in its range that it is.
      const rest = integer ? { type: "integer", ...(integer as object) } : converted;
      parameters.push({
        name,
        in: where,
        required: where === "path" || !schema.safeParse(undefined).success,
        schema: rest,
        ...(typeof description === "string" ? { description } : {}),
      });
    };
    for (const [name, schema] of Object.entries(doc.params?.shape ?? {})) parameter(name, "path", schema as z.ZodType);
    for (const [name, schema] of Object.entries(doc.query?.shape ?? {})) parameter(name, "query", schema as z.ZodType);
    const responses: Json = {};
    for (const [status, answer] of Object.entries(doc.answers)) {
      if (Number(status) >= 400 && !answer.content && (!answer.json || answer.json === ErrorAnswer)) {
        responses[status] = errorAnswer(answer.description, answer.headers);
        continue;
      }
      const content: Json = { ...(answer.content ?? {}) };
      if (answer.json) content["application/json"] = { schema: convert(answer.json, "output") };
      responses[status] = { description: answer.description, ...(Object.keys(content).length ? { content } : {}), ...(answer.headers ? { headers: answer.headers } : {}) };
    }
    // What every route of its kind can answer.
    if (doc.body) {
      responses["400"] ??= errorAnswer("Invalid input: `issues` names each field and why");
      responses["413"] ??= errorAnswer("Body larger than the limit (64 KiB by default)");
      responses["415"] ??= errorAnswer("Body not sent as application/json");
    }
    if (doc.query) responses["400"] ??= errorAnswer("Invalid query: `issues` names each parameter and why");
    if (!route.public) responses["401"] ??= errorAnswer("Not signed in", { "WWW-Authenticate": { description: "`Bearer`", schema: { type: "string" } } });
    if (!route.public) {
      responses["503"] ??= errorAnswer("The database is unavailable for a moment (a restart, a failover): try again", {
        "Retry-After": { description: "Seconds to wait", schema: { type: "integer", minimum: 1 } },
      });
    }
    responses["414"] ??= errorAnswer("URL longer than 8192 characters");
    responses["500"] ??= errorAnswer("Server fault (details go to the server's `onError`, never to the client)");

    const operation: Json = {
      operationId: doc.operationId,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: doc.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(doc.body ? { requestBody: { required: true, content: { "application/json": { schema: convert(doc.body, "input") } } } } : {}),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
      ...(route.public ? { security: [] } : {}),
    };
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }

  const securitySchemes: Json = {
    bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A Supabase access token (`supabaseAuth`), or whatever your `authenticate` hook accepts" },
    devUser: { type: "apiKey", in: "header", name: "x-user-id", description: "**Development only** (`devAuth`, refused under NODE_ENV=production): the user id, trusted as sent" },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "creatorsearch HTTP API",
      version: options.version ?? "0",
      description: "Campaigns, creator searches on TikTok, Instagram and YouTube, progress and results. Every error answer is `{ error, issues }`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: options.basePath || "/" }],
    security: [{ bearer: [] }, { devUser: [] }],
    tags: [...new Set(routes.flatMap((r) => r.doc.tags))].map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
    paths,
    components: { schemas, securitySchemes },
  };
}
