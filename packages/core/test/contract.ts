import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { apiDocument } from "../src/index.js";

/*
 * Checks answers against the served OpenAPI document: the route and status are documented, and
 * a JSON body matches its schema (JSON Schema 2020-12). The HTTP tests' `caller` runs it on every
 * answer they see, so the document cannot say one thing while the handler does another.
 */

type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }> };
const document = apiDocument("/api");
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new Map<object, ValidateFunction>();

/** The schema of a response, compiled once; `$ref`s resolve into the document's components. */
function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile({ ...schema, components: document.components })));
  return validate;
}

/** The documented operation of `method path` (path under `/api`, no query), or null. */
function operationOf(method: string, path: string): Operation | null {
  const segments = path.split("/").filter(Boolean);
  for (const [template, operations] of Object.entries(document.paths)) {
    const parts = template.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    if (!parts.every((part, i) => part.startsWith("{") || part === decodeURIComponentSafe(segments[i]!))) continue;
    const operation = (operations as Record<string, Operation>)[method === "HEAD" ? "get" : method.toLowerCase()];
    if (operation) return operation;
  }
  return null;
}

const decodeURIComponentSafe = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Why an answer contradicts the document, or `null` when it agrees. `basePath` is where the
 * routes are mounted, `url` the request URL;
 * answers outside any documented route (unknown paths, wrong methods, URLs too long) must be
 * error bodies with a 404, 405 or 414.
 */
export function contractViolation(basePath: string, method: string, url: string, status: number, contentType: string | null, text: string): string | null {
  const { pathname } = new URL(url);
  const base = `/${basePath.split("/").filter(Boolean).join("/")}`.replace(/^\/$/, "");
  const operation = pathname.startsWith(`${base}/`) ? operationOf(method, pathname.slice(base.length)) : null;
  const errorSchema = { $ref: "#/components/schemas/Error" };
  if (!operation) {
    if (![404, 405, 414].includes(status)) return `${method} ${pathname}: undocumented route answered ${status}`;
    return checkJson(errorSchema, text, `${method} ${pathname} ${status}`);
  }
  const answer = operation.responses[String(status)];
  if (!answer) return `${method} ${pathname}: status ${status} is not documented (documented: ${Object.keys(operation.responses).join(", ")})`;
  if (method === "HEAD" || !answer.content) return null;
  const type = (contentType ?? "").split(";")[0]!.trim();
  const media = answer.content[type] ?? Object.entries(answer.content).find(([k]) => k.endsWith("/*") && type.startsWith(k.slice(0, -1)))?.[1];
  if (!media) return `${method} ${pathname} ${status}: content type ${type || "(none)"} is not documented (documented: ${Object.keys(answer.content).join(", ")})`;
  if (type === "application/json" && media.schema) return checkJson(media.schema, text, `${method} ${pathname} ${status}`);
  return null;
}

function checkJson(schema: object, text: string, where: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `${where}: body is not JSON: ${text.slice(0, 100)}`;
  }
  const validate = validatorOf(schema);
  if (validate(value)) return null;
  return `${where}: body does not match its schema: ${ajv.errorsText(validate.errors)}`;
}
