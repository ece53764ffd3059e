// The README's install lines and quickstart, read the way the consumer test runs them: verbatim.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The `npm install` and `pnpm add` lines between `<!-- install:start -->` and `<!-- install:end -->`. */
export function readmeInstallLines(root) {
  const block = between(readFileSync(join(root, "README.md"), "utf8"), "install");
  const lines = block.split("\n").map((l) => l.trim());
  const npm = lines.find((l) => l.startsWith("npm install "));
  const pnpm = lines.find((l) => l.startsWith("pnpm add "));
  if (!npm || !pnpm) throw new Error("README.md: the install block needs an `npm install` and a `pnpm add` line");
  return { npm, pnpm };
}

/** The TypeScript of the quickstart block. */
export function readmeQuickstart(root) {
  const block = between(readFileSync(join(root, "README.md"), "utf8"), "quickstart");
  const code = /```ts\n([\s\S]*?)```/.exec(block);
  if (!code) throw new Error("README.md: no ```ts block between the quickstart markers");
  return code[1];
}

function between(text, marker) {
  const match = new RegExp(`<!-- ${marker}:start -->([\\s\\S]*?)<!-- ${marker}:end -->`).exec(text);
  if (!match) throw new Error(`README.md: no <!-- ${marker}:start --> ... <!-- ${marker}:end --> block`);
  return match[1];
}
