import { ConfigurationError, toFieldIssues } from "@creatorsearch/core";
import { z } from "zod";
import { isDevelopmentCredential } from "./dev-credentials.js";
import { type ReplayStore, memoryReplayStore } from "./replay.js";

/** How QStash paces deliveries that share a key (counted per key, across every job and URL). */
export interface QStashFlowControl {
  /** Flow-control key; letters, digits, `-`, `_` and `.`. */
  key: string;
  /** Deliveries in progress at once. */
  parallelism?: number;
  /** Deliveries started per `period`. */
  rate?: number;
  /** Window of `rate`: seconds, or a duration such as `"1m"`. Default one second. */
  period?: number | `${number}${"s" | "m" | "h" | "d"}`;
}

/** Options of {@link qstashQueue}. */
export interface QStashQueueOptions {
  /**
   * Public URL QStash delivers to: where your server routes `POST {basePath}/qstash/process-scraping`
   * to `cs.receiveDelivery`, e.g. `https://app.example.com/api/qstash/process-scraping`. Signatures
   * are checked against this exact URL, so proxies that rewrite the host do not break them.
   */
  callbackUrl: string;
  /** QStash token. Default `QSTASH_TOKEN`. */
  token?: string;
  /** QStash API URL. Default `QSTASH_URL`, else `https://qstash.upstash.io`. */
  baseUrl?: string;
  /** Signing key in use. Default `QSTASH_CURRENT_SIGNING_KEY`. */
  currentSigningKey?: string;
  /** Signing key after the next rotation. Default `QSTASH_NEXT_SIGNING_KEY`. */
  nextSigningKey?: string;
  /**
   * Paces every job's steps under one key so together they stay within the ScrapeCreators rate.
   * Default `{ key: "creatorsearch-scrapecreators", parallelism: 10 }`; `false` turns it off.
   */
  flowControl?: QStashFlowControl | false;
  /** Retries after the first delivery (QStash's `Upstash-Retries`, capped by your plan). Default 3. */
  retries?: number;
  /**
   * Delay between retries as a QStash expression over `retried`, e.g. `"pow(2, retried) * 1000"`
   * (ms). Default: QStash's own backoff (12 s, 2.5 min, 30 min...).
   */
  retryDelay?: string;
  /**
   * What a `RetryAfterError` (ScrapeCreators 429, a step held by another delivery) does.
   * `"respond-429"` (default): answer 429 + `Retry-After`, and QStash delivers the step again at
   * that time. QStash counts that as one of the message's retries, so on its last retry the step
   * is published again with that delay instead (answered 200): a long rate limit cannot fail
   * the job. `"republish"`: always publish again and answer 200, so waiting uses no retry.
   */
  retryAfter?: "respond-429" | "republish";
  /** Ask QStash to call back when a message fails for good, so the job ends `error`. Default `true`. */
  failureCallback?: boolean;
  /** Where accepted signatures are remembered; see {@link ReplayStore}. Default: in memory. */
  replayStore?: ReplayStore;
  /** Seconds of clock skew accepted on `exp`/`nbf`. Default 0. */
  clockToleranceSeconds?: number;
  /** Environment to read the `QSTASH_*` fallbacks and `NODE_ENV` from. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** Options after defaults and checks. */
export interface ResolvedQStashOptions {
  callbackUrl: string;
  failureCallbackUrl: string | null;
  token: string;
  baseUrl: string;
  currentSigningKey: string;
  nextSigningKey: string;
  flowControl: QStashFlowControl | null;
  retries: number;
  retryDelay: string | undefined;
  retryAfter: "respond-429" | "republish";
  replayStore: ReplayStore;
  clockToleranceSeconds: number;
}

/** Query parameter that tells a failure callback from a step delivery on the same route. */
export const FAILURE_CALLBACK_PARAM = "qstash";
export const FAILURE_CALLBACK_VALUE = "failure";

export const DEFAULT_FLOW_CONTROL: QStashFlowControl = { key: "creatorsearch-scrapecreators", parallelism: 10 };

const protocolOf = (u: string) => {
  try {
    return new URL(u).protocol;
  } catch {
    return null;
  }
};
const httpUrl = z
  .string({ error: "is required" })
  .refine((u) => protocolOf(u) !== null, { error: "must be an absolute URL", abort: true })
  .refine((u) => /^https?:$/.test(protocolOf(u) ?? ""), { error: "must be an http(s) URL" });
const required = (variable: string) => z.string({ error: `is required (or set ${variable})` }).min(1, { error: `is required (or set ${variable})` });

const Schema = z.object({
  callbackUrl: httpUrl,
  token: required("QSTASH_TOKEN"),
  baseUrl: httpUrl,
  currentSigningKey: required("QSTASH_CURRENT_SIGNING_KEY"),
  nextSigningKey: required("QSTASH_NEXT_SIGNING_KEY"),
  flowControl: z.union([
    z.literal(false),
    z
      .object({
        key: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { error: "must be 1-100 letters, digits, '-', '_' or '.'" }),
        parallelism: z.number().int().min(1).optional(),
        rate: z.number().int().min(1).optional(),
        period: z.union([z.number().int().min(1), z.string().regex(/^\d+[smhd]$/, { error: 'must be like "1s" or "5m"' })]).optional(),
      })
      .refine((f) => f.parallelism !== undefined || f.rate !== undefined, { error: "needs parallelism or rate" }),
  ]),
  retries: z.number().int().min(0).max(100),
  retryDelay: z.string().min(1).optional(),
  retryAfter: z.enum(["respond-429", "republish"]),
  failureCallback: z.boolean(),
  clockToleranceSeconds: z.number().min(0).max(300),
});

/** Applies defaults and `QSTASH_*` fallbacks; throws a `ConfigurationError` naming each bad option. */
export function resolveOptions(options: QStashQueueOptions): ResolvedQStashOptions {
  const env = options.env ?? globalThis.process?.env ?? {};
  const parsed = Schema.safeParse({
    callbackUrl: options.callbackUrl,
    token: options.token ?? env.QSTASH_TOKEN,
    baseUrl: options.baseUrl ?? env.QSTASH_URL ?? "https://qstash.upstash.io",
    currentSigningKey: options.currentSigningKey ?? env.QSTASH_CURRENT_SIGNING_KEY,
    nextSigningKey: options.nextSigningKey ?? env.QSTASH_NEXT_SIGNING_KEY,
    flowControl: options.flowControl ?? DEFAULT_FLOW_CONTROL,
    retries: options.retries ?? 3,
    retryDelay: options.retryDelay,
    retryAfter: options.retryAfter ?? "respond-429",
    failureCallback: options.failureCallback ?? true,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 0,
  });
  if (!parsed.success) {
    const list = toFieldIssues(parsed.error).map((i) => `${i.field}: ${i.reason}`).join("; ");
    throw new ConfigurationError(`Invalid qstashQueue options: ${list}`);
  }
  const o = parsed.data;
  if (env.NODE_ENV === "production") {
    const dev = (["token", "currentSigningKey", "nextSigningKey"] as const).filter((k) => isDevelopmentCredential(o[k]));
    if (dev.length) {
      throw new ConfigurationError(
        `qstashQueue: ${dev.join(", ")} ${dev.length > 1 ? "are" : "is"} the QStash dev server's public credential, refused when NODE_ENV=production (anyone could sign deliveries); use your QStash console's keys`,
      );
    }
  }
  // The URL is published and verified in the same normalized form, so `sub` always matches.
  const callbackUrl = new URL(o.callbackUrl).href;
  const failureUrl = new URL(callbackUrl);
  failureUrl.searchParams.set(FAILURE_CALLBACK_PARAM, FAILURE_CALLBACK_VALUE);
  return {
    callbackUrl,
    failureCallbackUrl: o.failureCallback ? failureUrl.href : null,
    token: o.token,
    baseUrl: o.baseUrl.replace(/\/+$/, ""),
    currentSigningKey: o.currentSigningKey,
    nextSigningKey: o.nextSigningKey,
    flowControl: o.flowControl === false ? null : (o.flowControl as QStashFlowControl),
    retries: o.retries,
    retryDelay: o.retryDelay,
    retryAfter: o.retryAfter,
    replayStore: options.replayStore ?? memoryReplayStore(),
    clockToleranceSeconds: o.clockToleranceSeconds,
  };
}
