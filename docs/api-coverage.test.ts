import { readFileSync, readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The API reference (`pnpm run docs`, typedoc.json) documents every public entry point, under the
 * name users import it by, and every guide. Reads the package.json files only: no typedoc run.
 */
const root = join(import.meta.dirname, "..");
const typedoc = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8")) as {
  entryPoints: string[];
  projectDocuments?: string[];
};
const documented = typedoc.entryPoints.map((p) => posix.normalize(p));

interface EntryPoint {
  specifier: string;
  source: string | undefined;
}

type Exports = Record<string, string | { "dev-source"?: string }>;

const entryPoints: EntryPoint[] = readdirSync(join(root, "packages")).flatMap((dir) => {
  let manifest: { name: string; private?: boolean; exports?: Exports; publishConfig?: { exports?: Exports } };
  try {
    manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
  } catch {
    return [];
  }
  if (manifest.private) return [];
  const exports = manifest.exports ?? {};
  const subpaths = new Set([...Object.keys(exports), ...Object.keys(manifest.publishConfig?.exports ?? {})]);
  subpaths.delete("./package.json");
  return [...subpaths].map((subpath) => {
    const target = exports[subpath];
    const devSource = typeof target === "object" ? target["dev-source"] : undefined;
    return {
      specifier: subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`,
      source: devSource && posix.join("packages", dir, devSource),
    };
  });
});

describe("API reference coverage (typedoc.json)", () => {
  it("finds the packages' entry points", () => {
    expect(entryPoints.length).toBeGreaterThanOrEqual(15);
  });

  for (const { specifier, source } of entryPoints) {
    describe(specifier, () => {
      it("has a dev-source condition pointing at its source", () => {
        expect(source, `exports of ${specifier} needs a "dev-source" condition`).toBeTruthy();
      });
      it("is an entry point of typedoc.json", () => {
        expect(documented).toContain(source);
      });
      it(`is named "${specifier}" in the docs (@module tag)`, () => {
        const text = readFileSync(join(root, source!), "utf8");
        const header = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? "";
        expect(header.match(/^\s*\*\s*@module\s+(\S+)\s*$/m)?.[1], `${source} starts with a comment tagged @module ${specifier}`).toBe(
          specifier,
        );
      });
    });
  }

  it("documents no entry point that is not exported", () => {
    const sources = entryPoints.map((e) => e.source);
    expect(documented.filter((p) => !sources.includes(p))).toEqual([]);
  });

  it("has every guide as a page", () => {
    const guides = readdirSync(join(root, "docs/guides"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/guides/${f}`);
    const documents = (typedoc.projectDocuments ?? []).map((p) => posix.normalize(p));
    expect(guides.filter((g) => !documents.includes(g))).toEqual([]);
  });
});
