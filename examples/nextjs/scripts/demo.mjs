// `pnpm demo`: builds this app and starts it against the in-process sandbox API (no keys, no
// credits), then prints the URL once the server answers. Ctrl+C stops it.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
// The demo is the sandbox: a key left in the shell must not spend real credits.
const env = { ...process.env, SCRAPECREATORS_API_KEY: "", DATABASE_URL: "", REDIS_URL: "", QSTASH_TOKEN: "", SQLITE_FILE: process.env.SQLITE_FILE ?? ".data/demo.db", NEXT_TELEMETRY_DISABLED: "1" };
const next = join(app, "node_modules", ".bin", "next");

console.log("Building the Next.js example (a minute or two)…");
const build = spawnSync(next, ["build"], { cwd: app, env, stdio: ["ignore", "inherit", "inherit"] });
if (build.status !== 0) {
  console.error("next build failed (see above)");
  process.exit(1);
}

const server = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: app, env, stdio: ["ignore", "inherit", "inherit"] });
const stop = () => server.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => process.exit(code ?? 0));

const url = `http://127.0.0.1:${port}`;
let ready = false;
for (let i = 0; i < 120 && !ready; i++) {
  // 401 is the API's answer to an anonymous call: the server and the SDK are up.
  const status = await fetch(`${url}/api/campaigns`).then((r) => r.status, () => 0);
  ready = status === 401;
  if (!ready) await new Promise((r) => setTimeout(r, 500));
}
if (ready) console.log(`\ncreatorsearch demo ready: ${url}  (sandbox API, SQLite ${env.SQLITE_FILE}; Ctrl+C to stop)\n`);
else {
  console.error(`The app did not answer on ${url} within a minute`);
  stop();
}
