import { openApiContract } from "@creatorsearch/test-utils/http";
import { apiDocument } from "../src/index.js";

const contracts = new Map<string, ReturnType<typeof openApiContract>>();

/**
 * Why an answer of the routes under `basePath` contradicts their OpenAPI document, or `null`.
 * The HTTP tests' `caller` runs it on every answer they see.
 */
export function contractViolation(basePath: string, method: string, url: string, status: number, contentType: string | null, text: string): string | null {
  let contract = contracts.get(basePath);
  if (!contract) contracts.set(basePath, (contract = openApiContract(apiDocument(basePath), basePath)));
  return contract.violation(method, url, status, contentType, text);
}
