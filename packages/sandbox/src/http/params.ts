import { invalidParameter, missingParameter } from "./errors.js";

/** A non-empty query parameter, trimmed, or `null`. */
export function optionalParam(params: URLSearchParams, name: string): string | null {
  const value = params.get(name)?.trim();
  return value ? value : null;
}

/** A required query parameter; 400 "You must provide a <name>" without it. */
export function requireParam(params: URLSearchParams, name: string, message = `You must provide a ${name}`): string {
  const value = optionalParam(params, name);
  if (value === null) throw missingParameter(message);
  return value;
}

/** A non-negative integer parameter (TikTok `cursor`), `fallback` when absent. */
export function intParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = optionalParam(params, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw invalidParameter(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** `true` for `trim=true` / `trim=1`. */
export function boolParam(params: URLSearchParams, name: string): boolean {
  const raw = optionalParam(params, name)?.toLowerCase();
  return raw === "true" || raw === "1";
}
