import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * Checks HTTP answers against an OpenAPI 3.1 document (the one `GET {basePath}/openapi.json`
 * serves): the route and its status are documented, the content type is one the answer lists,
 * and a JSON body matches its schema (JSON Schema 2020-12, `$ref`s into the document's
 * components). Answers outside every route (unknown paths, wrong methods, URLs too long) must be
 * the document's `Error` body with a 404, 405 or 414.
 *
 * @example
 * ```ts
 * const contract = openApiContract(await (await fetch(`${base}/openapi.json`)).json(), "/api");
 * const response = await fetch(`${base}/campaigns`, { headers: { "x-user-id": "u1" } });
 * expect(contract.violation("GET", response.url, response.status, response.headers.get("content-type"), await response.text())).toBeNull();
 * ```
 */
export function openApiContract(document: OpenApiLike, basePath = "/api"): OpenApiContract {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const compiled = new Map<object, ValidateFunction>();
  const base = `/${basePath.split("/").filter(Boolean).join("/")}`.replace(/^\/$/, "");

  const validatorOf = (schema: object): ValidateFunction => {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile({ ...schema, components: document.components })));
    return validate;
  };

  const operationOf = (method: string, path: string): Operation | null => {
    const segments = path.split("/").filter(Boolean);
    for (const [template, operations] of Object.entries(document.paths)) {
      const parts = template.split("/").filter(Boolean);
      if (parts.length !== segments.length) continue;
      if (!parts.every((part, i) => part.startsWith("{") || part === decode(segments[i]!))) continue;
      const operation = (operations as Record<string, Operation>)[method === "HEAD" ? "get" : method.toLowerCase()];
      if (operation) return operation;
    }
    return null;
  };

  const checkJson = (schema: object, text: string, where: string): string | null => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `${where}: body is not JSON: ${text.slice(0, 100)}`;
    }
    const validate = validatorOf(schema);
    if (validate(value)) return null;
    return `${where}: body does not match its schema: ${ajv.errorsText(validate.errors)}`;
  };

  return {
    operationOf,
    violation(method, url, status, contentType, text) {
      const { pathname } = new URL(url);
      const operation = pathname.startsWith(`${base}/`) ? operationOf(method, pathname.slice(base.length)) : null;
      if (!operation) {
        if (![404, 405, 414].includes(status)) return `${method} ${pathname}: undocumented route answered ${status}`;
        return checkJson({ $ref: "#/components/schemas/Error" }, text, `${method} ${pathname} ${status}`);
      }
      const answer = operation.responses[String(status)];
      if (!answer) return `${method} ${pathname}: status ${status} is not documented (documented: ${Object.keys(operation.responses).join(", ")})`;
      if (method === "HEAD" || !answer.content) return null;
      const type = (contentType ?? "").split(";")[0]!.trim();
      const media = answer.content[type] ?? Object.entries(answer.content).find(([k]) => k.endsWith("/*") && type.startsWith(k.slice(0, -1)))?.[1];
      if (!media) return `${method} ${pathname} ${status}: content type ${type || "(none)"} is not documented (documented: ${Object.keys(answer.content).join(", ")})`;
      if (type === "application/json" && media.schema) return checkJson(media.schema, text, `${method} ${pathname} ${status}`);
      return null;
    },
  };
}

/** The parts of an OpenAPI document the checker reads. */
export interface OpenApiLike {
  paths: Record<string, Record<string, unknown>>;
  components?: unknown;
}

/** One documented operation, as the checker reads it. */
export interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema?: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

/** What {@link openApiContract} returns. */
export interface OpenApiContract {
  /**
   * Why an answer contradicts the document, or `null` when it agrees. `url` is the request's
   * URL, `text` the body as received.
   */
  violation(method: string, url: string, status: number, contentType: string | null, text: string): string | null;
  /** The documented operation of `method path` (a path under the base path, no query), or `null`. */
  operationOf(method: string, path: string): Operation | null;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
