/**
 * API keys with special behaviour. Any other non-empty key is accepted (the CLI uses `sandbox`).
 */
export const SANDBOX_KEYS = {
  /** Every call answers 402 "Insufficient credits" (the client maps it to out-of-credits). */
  noCredits: "sc_test_nocredits",
  /** Every call answers 429 with `Retry-After: 1`. */
  rateLimit: "sc_test_ratelimit",
  /** Every other call per path answers 500, starting with the first, so one retry succeeds. */
  flaky: "sc_test_flaky",
  /** Every call answers 401, as for a revoked or mistyped key. */
  invalid: "sc_test_invalid",
} as const;

/** One of the {@link SANDBOX_KEYS}. */
export type SandboxMagicKey = (typeof SANDBOX_KEYS)[keyof typeof SANDBOX_KEYS];
