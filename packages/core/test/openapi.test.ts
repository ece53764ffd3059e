import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ROUTES, apiDocument } from "../src/index.js";
import { httpInstance } from "./http-helpers.js";

const instances: ReturnType<typeof httpInstance>[] = [];
afterEach(async () => {
  await Promise.all(instances.splice(0).map((i) => i.cs.close()));
});

describe("the OpenAPI document", () => {
  it("documents every route once, under its own operation id", () => {
    const document = apiDocument();
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, id: (op as { operationId: string }).operationId })),
    );
    expect(operations.map((o) => o.key).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`).sort());
    expect(new Set(operations.map((o) => o.id)).size).toBe(ROUTES.length);
  });

  it("gives every answer a schema or a media type, and every error the one error shape", () => {
    for (const methods of Object.values(apiDocument().paths)) {
      for (const op of Object.values(methods) as { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }[]) {
        for (const [status, answer] of Object.entries(op.responses)) {
          expect(answer.content, status).toBeDefined();
          if (Number(status) >= 400 && answer.content!["application/json"]) {
            expect(["#/components/schemas/Error", "#/components/schemas/DeliveryAnswer"]).toContain(answer.content!["application/json"].schema?.$ref);
          }
        }
      }
    }
  });

  it("is served without signing in, for the instance's base path", async () => {
    const instance = httpInstance({ basePath: "/v1" });
    instances.push(instance);
    const answer = await instance.call("GET", "/v1/openapi.json", { user: null });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(apiDocument("/v1"));
    expect(answer.json.servers).toEqual([{ url: "/v1" }]);
  });

  it("is the one written to docs/openapi.json (run `pnpm build && pnpm run docs` after changing a route)", () => {
    const written = JSON.parse(readFileSync(new URL("../../../docs/openapi.json", import.meta.url), "utf8"));
    expect(written).toEqual(apiDocument("/api"));
  });
});
