/**
 * Raw pages are stored as received (DESIGN.md, step 4). Serializing a parsed 150 KB page again
 * costs more CPU than parsing it did, so the text a body was parsed from stays with the parsed
 * value, under a registered symbol (shared by the ESM and CJS builds) that `JSON.stringify`,
 * object spread and `structuredClone` all ignore.
 */
const JSON_TEXT = Symbol.for("creatorsearch.jsonText");

/**
 * Parses an upstream JSON body and keeps `text` with the parsed object or array, for
 * {@link rawPageJson}. The value must not be mutated afterwards (the engine never does): its
 * stored text would no longer match it. Throws `SyntaxError` on invalid JSON, as `JSON.parse`.
 */
export function parseJsonKeepingText(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === "object" && value !== null) Object.defineProperty(value, JSON_TEXT, { value: text });
  return value;
}

/**
 * The JSON text to store for a raw page: the text it was parsed from when it came from
 * {@link parseJsonKeepingText}, else `JSON.stringify(raw)` (`"null"` for `undefined`).
 * Storage adapters call it for the raw page of `savePage`.
 */
export function rawPageJson(raw: unknown): string {
  if (typeof raw === "object" && raw !== null) {
    const text = (raw as { [JSON_TEXT]?: unknown })[JSON_TEXT];
    if (typeof text === "string") return text;
  }
  return JSON.stringify(raw ?? null);
}
