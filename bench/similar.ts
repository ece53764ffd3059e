/**
 * Credits per 100 similar creators for Instagram's related-profiles walk on the sandbox (API
 * calls made / unique creators x 100). Compared with a bare breadth-first loop over the same API
 * without the engine (the engine must not add a call: target engine / bare <= 1.0), and, for
 * reference, a greedy oracle that knew every profile's related list beforehand and always
 * visited the one bringing the most new creators. Also prints the blueprint's figure: one
 * profile call, its related profiles only (never 100), every follower count written as 0.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCreatorSearch, instagram, memoryQueue } from "@creatorsearch/core";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";
import { startSandboxServer } from "@creatorsearch/sandbox";

const KEY = "bench";
const TARGET = 100;
const SEEDS = ["bakewithsunny", "trailrunner.maya", "cozy.kitchen"];

type Node = { username: string; is_private?: boolean };
type Profile = { data: { user: null | { edge_related_profiles?: { edges: { node: Node }[] } } } };

/** The related profiles of `handle` (lower-cased), from the sandbox, cached. */
function relatedOf(baseUrl: string) {
  const cache = new Map<string, Node[]>();
  return async (handle: string): Promise<Node[]> => {
    const hit = cache.get(handle);
    if (hit) return hit;
    const res = await fetch(`${baseUrl}/v1/instagram/profile?handle=${encodeURIComponent(handle)}`, { headers: { "x-api-key": KEY } });
    if (!res.ok) throw new Error(`sandbox answered ${res.status}`);
    const body = (await res.json()) as Profile;
    const nodes = (body.data.user?.edge_related_profiles?.edges ?? []).map((e) => ({ ...e.node, username: e.node.username.toLowerCase() }));
    cache.set(handle, nodes);
    return nodes;
  };
}

/** A bare breadth-first walk: calls until `target` creators (seed excluded) are known. */
async function bareWalk(related: (h: string) => Promise<Node[]>, seed: string, target: number) {
  const found = new Set<string>();
  const queue = [seed];
  const visited = new Set<string>();
  let calls = 0;
  while (queue.length && found.size < target) {
    const handle = queue.shift()!;
    visited.add(handle);
    calls += 1;
    for (const n of await related(handle)) {
      if (n.username === seed) continue;
      found.add(n.username);
      if (!n.is_private && !visited.has(n.username) && !queue.includes(n.username)) queue.push(n.username);
    }
  }
  return { calls, unique: found.size };
}

/** Greedy oracle: always visits the known profile whose related list brings the most new creators. */
async function greedy(related: (h: string) => Promise<Node[]>, seed: string, target: number) {
  const found = new Set<string>();
  const candidates = new Set<string>([seed]);
  let calls = 0;
  while (candidates.size && found.size < target) {
    let best = "";
    let bestGain = -1;
    for (const c of candidates) {
      const gain = (await related(c)).filter((n) => n.username !== seed && !found.has(n.username)).length;
      if (gain > bestGain) [best, bestGain] = [c, gain];
    }
    candidates.delete(best);
    calls += 1;
    for (const n of await related(best)) {
      if (n.username === seed || found.has(n.username)) continue;
      found.add(n.username);
      if (!n.is_private) candidates.add(n.username);
    }
  }
  return { calls, unique: found.size };
}

const per100 = (calls: number, creators: number) => ((calls / creators) * 100).toFixed(1);

export async function similarBench(): Promise<Record<string, string | number>> {
  const dir = await mkdtemp(join(tmpdir(), "cs-bench-similar-"));
  const sandbox = await startSandboxServer({ port: 0 });
  const related = relatedOf(sandbox.url);
  const figures: Record<string, string | number> = {};
  let worst = 0;
  const perSeed: string[] = [];
  try {
    for (const [i, seed] of SEEDS.entries()) {
      const cs = createCreatorSearch({
        storage: sqliteStorage({ file: join(dir, `similar-${i}.db`) }),
        queue: memoryQueue({ concurrency: 4 }),
        platforms: [instagram({ apiKey: KEY, baseUrl: sandbox.url })],
        recoverIntervalMs: 0,
      });
      const campaign = await cs.campaigns.create("bench", { name: "similar" });
      const started = Date.now();
      const job = await cs.jobs.start("bench", { campaignId: campaign.id, platform: "instagram", targetHandle: seed, targetResults: TARGET });
      const done = await cs.jobs.wait("bench", job.id, { pollMs: 10 });
      const ms = Date.now() - started;
      let withFollowers = 0;
      for await (const c of cs.results.iterate("bench", job.id)) if (c.followers !== null) withFollowers += 1;
      await cs.close();
      if (done.status !== "completed") throw new Error(`similar job for @${seed} ended ${done.status}: ${done.error}`);
      const bare = await bareWalk(related, seed, TARGET);
      const oracle = await greedy(related, seed, TARGET);
      const seedRelated = await related(seed);
      const ratio = done.apiCalls / bare.calls;
      worst = Math.max(worst, ratio);
      const name = `@${seed}`;
      figures[`${name}: engine`] = `${done.apiCalls} calls / ${done.processedResults} creators = ${per100(done.apiCalls, done.processedResults)} credits per 100 (${done.stopReason}, ${withFollowers} with followers, ${ms} ms)`;
      figures[`${name}: bare BFS loop`] = `${bare.calls} calls / ${bare.unique} creators = ${per100(bare.calls, bare.unique)} credits per 100`;
      figures[`${name}: greedy oracle`] = `${oracle.calls} calls / ${oracle.unique} creators = ${per100(oracle.calls, oracle.unique)} credits per 100`;
      figures[`${name}: engine / bare`] = ratio.toFixed(3);
      figures[`${name}: blueprint`] = `1 call, ${seedRelated.length} related profiles (cannot reach ${TARGET}), followers written as 0 for all`;
      perSeed.push(`${name} ${per100(done.apiCalls, done.processedResults)} (bare ${per100(bare.calls, bare.unique)}, oracle ${per100(oracle.calls, oracle.unique)})`);
    }
    figures.summary = `engine / bare BFS at worst ${worst.toFixed(3)}; credits per 100: ${perSeed.join(", ")}`;
    figures.target = "engine / bare <= 1.00";
    figures.result = worst <= 1 ? "PASS" : "FAIL";
    return figures;
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// Run alone: `node --conditions=dev-source --import tsx bench/similar.ts`.
if (import.meta.url === `file://${process.argv[1]}`) console.log(await similarBench());
