import { describe, expect, it } from "vitest";
import { parseJsonKeepingText, rawPageJson } from "../src/index.js";

describe("raw page JSON", () => {
  it("stores a parsed body as the text it was parsed from", () => {
    const text = '{ "a": [1, 2],\n "b": "caf\\u00e9" }';
    const value = parseJsonKeepingText(text);
    expect(value).toEqual({ a: [1, 2], b: "café" });
    expect(rawPageJson(value)).toBe(text);
    expect(rawPageJson(parseJsonKeepingText("[1, 2 ]"))).toBe("[1, 2 ]");
  });

  it("keeps the text out of the value: JSON, spreads and clones see only the data", () => {
    const value = parseJsonKeepingText('{"a":  1}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["a"]);
    expect(JSON.stringify(value)).toBe('{"a":1}');
    expect(rawPageJson({ ...value })).toBe('{"a":1}');
    expect(rawPageJson(structuredClone(value))).toBe('{"a":1}');
  });

  it("serializes values that were not parsed from text, and scalars", () => {
    expect(rawPageJson({ search: parseJsonKeepingText('{ "x": 1 }'), profiles: {} })).toBe('{"search":{"x":1},"profiles":{}}');
    expect(parseJsonKeepingText(" 42 ")).toBe(42);
    expect(rawPageJson(42)).toBe("42");
    expect(rawPageJson(undefined)).toBe("null");
    expect(rawPageJson(null)).toBe("null");
  });

  it("throws SyntaxError on invalid JSON", () => {
    expect(() => parseJsonKeepingText("{nope")).toThrow(SyntaxError);
  });
});
