import fc from "fast-check";

/** A JSON Schema (2020-12), as the OpenAPI document's parameters and bodies use it. */
export type JsonSchema = Record<string, unknown>;

/**
 * fast-check arbitraries of values a JSON Schema accepts, and of values it refuses, for the
 * subset the API's document uses: objects with `properties` and `required`, strings with
 * lengths, `pattern` and `enum`, integers and numbers with bounds, booleans, arrays with item
 * counts, `anyOf` (nullable fields) and `$ref` into `components.schemas`. Requests generated from
 * the document itself test it against the server (property-based contract testing).
 */
export function schemaArbitraries(components: unknown = {}) {
  const schemas = ((components as { schemas?: Record<string, JsonSchema> }).schemas ?? {}) as Record<string, JsonSchema>;
  const resolve = (schema: JsonSchema): JsonSchema => {
    const ref = schema.$ref;
    if (typeof ref !== "string") return schema;
    const target = schemas[ref.replace("#/components/schemas/", "")];
    if (!target) throw new Error(`schemaArbitraries: unknown $ref ${ref}`);
    return resolve(target);
  };

  /** Values `schema` accepts. */
  const valid = (input: JsonSchema): fc.Arbitrary<unknown> => {
    const schema = resolve(input);
    if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as JsonSchema[]).map(valid));
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    switch (schema.type) {
      case "string": {
        const minLength = (schema.minLength as number | undefined) ?? 0;
        const maxLength = Math.min((schema.maxLength as number | undefined) ?? 40, minLength + 40);
        if (typeof schema.pattern === "string") {
          // Bounded by the pattern itself; lengths are checked after.
          return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= ((schema.maxLength as number | undefined) ?? Infinity));
        }
        return fc.string({ minLength, maxLength }).filter((s) => s.trim().length >= Math.min(minLength, 1) || minLength === 0);
      }
      case "integer":
        return fc.integer({ min: Math.max((schema.minimum as number | undefined) ?? -1e6, -1e9), max: Math.min((schema.maximum as number | undefined) ?? 1e6, 1e9) });
      case "number":
        return fc.double({ min: (schema.minimum as number | undefined) ?? -1e6, max: (schema.maximum as number | undefined) ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return fc.array(valid((schema.items as JsonSchema | undefined) ?? {}), {
          minLength: (schema.minItems as number | undefined) ?? 0,
          maxLength: Math.min((schema.maxItems as number | undefined) ?? 5, 5),
        });
      case "object": {
        const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
        const required = (schema.required as string[] | undefined) ?? [];
        return fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, valid(v)])), {
          requiredKeys: required.filter((k) => k in properties),
        });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };

  /** Values `schema` refuses: a wrong type, a bound crossed, a required property left out. */
  const invalid = (input: JsonSchema): fc.Arbitrary<unknown> => {
    const schema = resolve(input);
    const branches = Array.isArray(schema.anyOf) ? (schema.anyOf as JsonSchema[]).map(resolve) : [schema];
    const wrongType = fc.constantFrom<unknown>(...[{ nested: true }, [1, 2], "text", 12.5, true].filter((v) => !branches.some((b) => accepts(b, v))));
    if (Array.isArray(schema.anyOf)) return wrongType;
    const crossed: fc.Arbitrary<unknown>[] = [];
    if (Array.isArray(schema.enum)) crossed.push(fc.constant("not-one-of-them"));
    if (schema.type === "string" && typeof schema.maxLength === "number") crossed.push(fc.constant("x".repeat(schema.maxLength + 1)));
    if (schema.type === "string" && typeof schema.minLength === "number" && schema.minLength > 0) crossed.push(fc.constant(""));
    if ((schema.type === "integer" || schema.type === "number") && typeof schema.minimum === "number") crossed.push(fc.constant(schema.minimum - 1));
    if ((schema.type === "integer" || schema.type === "number") && typeof schema.maximum === "number" && schema.maximum < Number.MAX_SAFE_INTEGER) crossed.push(fc.constant(schema.maximum + 1));
    if (schema.type === "integer") crossed.push(fc.constant(1.5));
    if (schema.type === "array" && typeof schema.maxItems === "number") crossed.push(fc.constant(Array.from({ length: schema.maxItems + 1 }, () => "x")));
    if (schema.type === "object") {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = ((schema.required as string[] | undefined) ?? []).filter((k) => k in properties);
      const base = valid(schema) as fc.Arbitrary<Record<string, unknown>>;
      for (const key of required) crossed.push(base.map((value) => Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))));
      for (const [key, property] of Object.entries(properties)) {
        crossed.push(fc.tuple(base, invalid(property)).map(([value, bad]) => ({ ...value, [key]: bad })));
      }
    }
    return fc.oneof(wrongType, ...crossed);
  };

  return { valid, invalid, resolve };
}

/** Whether `value` has the JSON type `schema` names (enough to pick a value of another type). */
function accepts(schema: JsonSchema, value: unknown): boolean {
  switch (schema.type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}
