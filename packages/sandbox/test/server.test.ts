import { createServer } from "node:net";
import { Agent, get as httpGet } from "node:http";
import { describe, expect, it } from "vitest";
import { createSandbox, startSandboxServer } from "../src/index.js";

describe("startSandboxServer", () => {
  it("listens on a random port at 127.0.0.1 and gives a base URL without trailing slash", async () => {
    const server = await startSandboxServer();
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.port).toBeGreaterThan(0);
      const res = await fetch(`${server.url}/v1/credit-balance`, { headers: { "x-api-key": "k" } });
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await server.close();
    }
  });

  it("close() frees the port even with keep-alive connections open", async () => {
    const server = await startSandboxServer();
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(`${server.url}/v1/credit-balance`, { agent, headers: { "x-api-key": "k" } }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
    });
    const t0 = performance.now();
    await server.close();
    expect(performance.now() - t0).toBeLessThan(1_000);
    agent.destroy();
    // The port can be bound again right away.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(server.port, "127.0.0.1", () => probe.close(() => resolve()));
    });
    await expect(server.close()).resolves.toBeUndefined(); // idempotent
  });

  it("serves a given sandbox so its state can be shared and inspected", async () => {
    const sandbox = createSandbox({ credits: 10 });
    const server = await startSandboxServer({ sandbox });
    try {
      await fetch(`${server.url}/v1/tiktok/search/keyword?query=soup`, { headers: { "x-api-key": "k" } });
      expect(server.sandbox).toBe(sandbox);
      expect(sandbox.creditsRemaining).toBe(9);
    } finally {
      await server.close();
    }
  });

  it("rejects when the port is taken", async () => {
    const first = await startSandboxServer();
    try {
      await expect(startSandboxServer({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
