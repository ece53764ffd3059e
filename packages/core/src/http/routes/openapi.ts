import { type OpenApiDocument, openApiDocument } from "../contract/openapi.js";
import type { Route } from "../router.js";
import { API_ROUTES } from "./index.js";

/** `GET /openapi.json`: the OpenAPI 3.1 document of every route. Public: it holds no user data. */
export const openApiRoute: Route = {
  method: "GET",
  path: "/openapi.json",
  public: true,
  doc: {
    operationId: "getOpenApiDocument",
    summary: "This document",
    tags: ["meta"],
    answers: { 200: { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } },
  },
  async handle({ options }) {
    return new Response(documentText(options.basePath), {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  },
};

/** Every route, this one included. */
export const ALL_ROUTES: readonly Route[] = [...API_ROUTES, openApiRoute];

// Built once per base path: routes and their schemas do not change at run time.
const texts = new Map<string, string>();
const documentText = (basePath: string) => {
  let text = texts.get(basePath);
  if (text === undefined) texts.set(basePath, (text = JSON.stringify(apiDocument(basePath))));
  return text;
};

/**
 * The OpenAPI 3.1 document of the HTTP API served under `basePath` (default `/api`), as
 * `GET {basePath}/openapi.json` answers it: every route, its parameters and body with their
 * limits, every answer with its schema, and the security schemes.
 */
export function apiDocument(basePath = "/api"): OpenApiDocument {
  return openApiDocument(ALL_ROUTES, { basePath });
}
