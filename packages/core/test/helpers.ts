import {
  type Creator,
  type EnqueueOptions,
  type PlatformAdapter,
  type QueueAdapter,
  type StepMessage,
  computeEngagement,
} from "../src/index.js";

export function creator(id: string, keyword: string): Creator {
  const post = { id: `p-${id}-${keyword}`, url: null, caption: null, createdAt: null, likes: 10, comments: 1, shares: 0, views: 100, hashtags: [] };
  return {
    platform: "scripted",
    id,
    handle: id,
    name: null,
    followers: 1000,
    avatarUrl: null,
    profileUrl: null,
    bio: null,
    verified: null,
    emails: [],
    posts: [post],
    hashtags: [],
    matchedKeywords: [keyword],
    engagement: computeEngagement(1000, [post]),
  };
}

/**
 * A platform whose pages are scripted: `pages[keyword][i]` lists the creator ids of page i.
 * A keyword without script pages forever with fresh ids. Counts every fetch, like credits.
 */
export function scriptedPlatform(pages: Record<string, string[][]> = {}, options: { gate?: Promise<void> } = {}) {
  const fetches: string[] = [];
  const platform: PlatformAdapter = {
    id: "scripted",
    name: "Scripted",
    modes: ["keyword"],
    planChains: ({ keywords }) => keywords.map((input, i) => ({ key: `k${i}`, input })),
    async fetchPage({ chain }) {
      const index = Number(chain.cursor ?? 0);
      fetches.push(`${chain.input}#${index}`);
      await options.gate;
      const script = pages[chain.input];
      const ids = script ? (script[index] ?? []) : Array.from({ length: 5 }, (_, j) => `${chain.input}-${index}-${j}`);
      const more = script ? index + 1 < script.length : true;
      return { ids, next: more ? index + 1 : null };
    },
    parsePage(raw, { chain }) {
      const { ids, next } = raw as { ids: string[]; next: number | null };
      return { creators: ids.map((id) => creator(id, chain.input)), nextCursor: next === null ? null : String(next), hasMore: next !== null };
    },
  };
  return { platform, fetches };
}

/** A queue the test drives by hand: it records messages and delivers nothing by itself. */
export function manualQueue(): QueueAdapter & { messages: StepMessage[]; keys: string[]; failNextEnqueue(): void } {
  const messages: StepMessage[] = [];
  const keys: string[] = [];
  let failNext = false;
  return {
    id: "manual",
    messages,
    keys,
    failNextEnqueue: () => void (failNext = true),
    async enqueue(message: StepMessage, options: EnqueueOptions) {
      if (failNext) {
        failNext = false;
        throw new Error("simulated crash before enqueue");
      }
      const deduplicated = keys.includes(options.idempotencyKey) && messages.some((m) => `${m.jobId}:${m.chain}:${m.step}` === options.idempotencyKey);
      if (!deduplicated) {
        messages.push(message);
        keys.push(options.idempotencyKey);
      }
      return { messageId: options.idempotencyKey, deduplicated };
    },
    async close() {},
  };
}

/** Delivers queued messages one by one until none is left (or `max` deliveries). */
export async function drain(run: (m: StepMessage) => Promise<void>, queue: { messages: StepMessage[] }, max = 1000) {
  for (let i = 0; i < max && queue.messages.length; i++) await run(queue.messages.shift()!);
}
