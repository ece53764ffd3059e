import { type AddressInfo, createServer } from "node:net";
import { ConfigurationError, StorageUnavailableError } from "@creatorsearch/core";
import { at, campaignFixture, chainFixture, creatorFixture as creator, jobFixture } from "@creatorsearch/test-utils/storage";
import { describe, expect, it } from "vitest";
import { type PostgresStorage, postgresStorage } from "../../src/pg/index.js";
import { PG_URL } from "./postgres.js";

/*
 * Checks of postgresStorage({ url }) that depend on the postgres.js major: a failed pipelined
 * commit (postgres.js 4 is stricter about transactions) and the connection errors it reports
 * (the driver's messages and options). pg-storage.test.ts runs them on postgres.js 3,
 * postgres-js-v4-conformance.test.ts on postgres.js 4.
 */

/** A failed page commit rolls back whole, and leaves the connection usable. */
export function describeFailedCommits(storageIn: (schema: string, extra?: { max?: number }) => PostgresStorage, uniqueName: (prefix: string) => string) {
  describe("a page commit that fails in Postgres", () => {
    // One connection, so a transaction left open or aborted would break the next statement.
    const setupJob = async (storage: PostgresStorage, jobId: string) => {
      await storage.createJob(jobFixture(jobId, campaignFixture("c1", "alice")), [chainFixture(jobId, "soup")]);
      expect((await storage.claimStep({ jobId, chain: "soup", step: 0, owner: "w", leaseMs: 60_000, now: at(100) })).status).toBe("claimed");
    };
    const broken = (id: string) => ({ ...creator(id, "soup"), handle: null as unknown as string }); // handle is NOT NULL

    it("rolls back a failed insert: nothing written, the step still claimable, the connection reusable", async () => {
      const storage = storageIn(uniqueName("cs_fail"), { max: 1 });
      await storage.createCampaign(campaignFixture("c1", "alice"));
      await setupJob(storage, "j1");
      const commit = (creators: ReturnType<typeof creator>[]) =>
        storage.commitPage({ jobId: "j1", chain: "soup", step: 0, owner: "w", creators, nextCursor: "30", exhausted: false, now: at(200) });
      await expect(commit([creator("a", "soup"), broken("b")])).rejects.toThrow(/null value in column "handle"/);
      expect(await storage.listCreators("j1", { limit: 10 })).toEqual([]);
      expect((await storage.listChains("j1"))[0]).toMatchObject({ step: 0, leaseOwner: "w" });
      expect(await commit([creator("a", "soup"), creator("b", "soup")])).toMatchObject({ newCreators: 2, job: { processedResults: 2, processedRuns: 1 } });
    });

    it("rolls back a failed merge (sent with the commit): the page is not half-committed", async () => {
      const storage = storageIn(uniqueName("cs_fail"), { max: 1 });
      await storage.createCampaign(campaignFixture("c1", "alice"));
      await setupJob(storage, "j2");
      await storage.commitPage({ jobId: "j2", chain: "soup", step: 0, owner: "w", creators: [creator("a", "soup")], nextCursor: "30", exhausted: false, now: at(200) });
      await storage.claimStep({ jobId: "j2", chain: "soup", step: 1, owner: "w", leaseMs: 60_000, now: at(300) });
      const second = (creators: ReturnType<typeof creator>[]) =>
        storage.commitPage({ jobId: "j2", chain: "soup", step: 1, owner: "w", creators, nextCursor: "60", exhausted: false, now: at(400) });
      // "a" is known: its merged row (with no handle) fails in the second round trip, after "c" went in.
      await expect(second([creator("c", "soup"), { ...broken("a"), posts: [] }])).rejects.toThrow(/null value in column "handle"/);
      expect((await storage.listCreators("j2", { limit: 10 })).map((c) => c.id)).toEqual(["a"]);
      expect(await storage.getJob("j2")).toMatchObject({ processedResults: 1, processedRuns: 1 });
      expect((await storage.listChains("j2"))[0]).toMatchObject({ step: 1, leaseOwner: "w" });
      expect(await second([creator("c", "soup")])).toMatchObject({ newCreators: 1, job: { processedResults: 2, processedRuns: 2 } });
    });
  });
}

/** Connection errors name host, port, database and user, never the password. */
export function describeConnectionErrors() {
  describe("connection errors", () => {
    const secret = "s3cret-Pa55word";

    /** A server that speaks just enough of the protocol to ask for a password and refuse it. */
    async function refusingServer() {
      const received: string[] = [];
      const server = createServer((socket) => {
        let startup = true;
        let buffer = Buffer.alloc(0);
        socket.on("data", (chunk) => {
          buffer = Buffer.concat([buffer, chunk]);
          for (;;) {
            if (startup) {
              if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
              buffer = buffer.subarray(buffer.readInt32BE(0));
              startup = false;
              const ask = Buffer.alloc(9);
              ask.write("R", 0);
              ask.writeInt32BE(8, 1);
              ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
              socket.write(ask);
              continue;
            }
            if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
            const length = buffer.readInt32BE(1);
            if (buffer.toString("latin1", 0, 1) === "p") {
              received.push(buffer.toString("utf8", 5, 1 + length).replace(/\0$/, ""));
              const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "postgres"\0\0', "utf8");
              const head = Buffer.alloc(5);
              head.write("E", 0);
              head.writeInt32BE(4 + fields.length, 1);
              socket.end(Buffer.concat([head, fields]));
            }
            buffer = buffer.subarray(1 + length);
          }
        });
        socket.on("error", () => {});
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { port: (server.address() as AddressInfo).port, received, close: () => new Promise((r) => server.close(r)) };
    }

    async function closedPort(): Promise<number> {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((r) => server.close(r));
      return port;
    }

    it("names host, port, database and user on a refused password, never the password", async () => {
      const server = await refusingServer();
      const storage = postgresStorage({ url: `postgres://postgres:${secret}@127.0.0.1:${server.port}/test` });
      try {
        const error = await storage.ready().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toBe(
          `Cannot connect to Postgres at 127.0.0.1:${server.port}/test as postgres: password authentication failed for user "postgres"`,
        );
        expect(server.received).toEqual([secret]); // the client really sent it...
        expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(secret); // ...and it is not in the error
      } finally {
        await storage.close();
        await server.close();
      }
    });

    it("fails on an unreachable port lazily, on first use, retryably (the server may be restarting); ready() with a ConfigurationError; and retries", async () => {
      const port = await closedPort();
      const storage = postgresStorage({ url: `postgres://postgres:${secret}@127.0.0.1:${port}/test` }); // does not throw
      try {
        const error = await storage.getJob("j1").then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(StorageUnavailableError);
        expect((error as StorageUnavailableError).reason).toBe("ECONNREFUSED");
        expect((error as Error).message).toMatch(new RegExp(`^Cannot connect to Postgres at 127\\.0\\.0\\.1:${port}/test as postgres: .*ECONNREFUSED`));
        expect((error as Error).message).not.toContain(secret);
        await expect(storage.ready()).rejects.toThrow(ConfigurationError); // tried again, not a memoized failure
      } finally {
        await storage.close();
      }
    });

    it("names a database that does not exist", async () => {
      const url = new URL(PG_URL);
      url.password = secret;
      url.pathname = "/no_such_database_cs";
      const storage = postgresStorage({ url: url.href });
      try {
        const error = await storage.ready().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toContain(`${url.hostname}:${url.port || 5432}/no_such_database_cs`);
        expect((error as Error).message).toContain('database "no_such_database_cs" does not exist');
        expect((error as Error).message).not.toContain(secret);
      } finally {
        await storage.close();
      }
    });
    });
}
