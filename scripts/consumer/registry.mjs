// A private npm registry for the consumer test: Verdaccio in a child process, serving only the
// @creatorsearch scope (everything else still comes from the public registry), with one user
// whose token can publish. Packages published here install exactly as they would from npmjs.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/**
 * Starts Verdaccio with its storage under `dir` (emptied first: each run starts from nothing). Resolves with the registry URL, a publish
 * token, an `.npmrc` (at `<dir>/npmrc`) that routes the scope to it, and `close()`.
 */
export async function startRegistry(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      `storage: ${join(dir, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 10",
      "packages:",
      "  '@creatorsearch/*':",
      "    access: $all",
      "    publish: $authenticated",
      "  '**':",
      "    access: $all",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  const bin = join(require.resolve("verdaccio/package.json"), "../bin/verdaccio");
  const child = spawn(process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));

  try {
    await waitUntilUp(url, exited, () => output);
    const token = await addUser(url, "release", "release-password");
    const npmrc = join(dir, "npmrc");
    const host = url.replace(/^http:/, "");
    // Used as npm_config_userconfig: keep the user's own settings (here `nodedir`, which lets
    // node-gyp build native modules without downloading headers) and add the scope's registry.
    const userconfig = process.env.npm_config_userconfig ?? join(homedir(), ".npmrc");
    const own = existsSync(userconfig) ? `${readFileSync(userconfig, "utf8").trimEnd()}\n` : "";
    writeFileSync(npmrc, `${own}@creatorsearch:registry=${url}\n${host}:_authToken=${token}\n`);
    return {
      url,
      token,
      npmrc,
      async close() {
        if (child.exitCode === null) child.kill("SIGTERM");
        await exited;
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

async function waitUntilUp(url, exited, output) {
  let stopped = false;
  exited.then(() => (stopped = true));
  for (const started = Date.now(); Date.now() - started < 60_000; ) {
    if (stopped) throw new Error(`verdaccio exited: ${output()}`);
    const ok = await fetch(`${url}-/ping`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`verdaccio did not start within 60 s: ${output()}`);
}

/** The CouchDB user API npm's `adduser` speaks: creates the user and returns its token. */
async function addUser(url, name, password) {
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: "user", roles: [] }),
  });
  const body = await response.json();
  if (!response.ok || !body.token) throw new Error(`cannot create a registry user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
