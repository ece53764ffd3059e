import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { ImageProxyRefusal, refuseUrl } from "./refusal.js";

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has. Injectable so tests can point CDN names anywhere. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The operating system's resolver (`getaddrinfo`, like browsers and `fetch`), all addresses. */
export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/**
 * The ipaddr.js range of an address (`unicast`, `private`, `loopback`, `linkLocal`, `uniqueLocal`,
 * `carrierGradeNat`, `reserved`, `6to4`...). IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is classified
 * as the IPv4 address it carries. `invalid` when the text is not an address.
 */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return "invalid";
  return ipaddr.process(address).range();
}

/**
 * True only for ordinary public unicast addresses. Every special range is refused, including the
 * IPv6 ones that tunnel an arbitrary IPv4 address (NAT64, 6to4, Teredo), whose embedded address
 * could be private.
 */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === "unicast";
}

/**
 * Resolves `hostname` and returns the address to connect to. Refuses (403) if ANY answer is not
 * public: a name with one private answer is an attack, whichever answer the connection would pick.
 */
export async function resolvePublicAddress(hostname: string, resolve: HostResolver, signal: AbortSignal): Promise<ResolvedAddress> {
  let answers: readonly ResolvedAddress[];
  try {
    answers = await abortable(resolve(hostname), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ImageProxyRefusal(502, `Could not resolve ${hostname}`, { cause: error });
  }
  const first = answers[0];
  if (!first) throw new ImageProxyRefusal(502, `${hostname} has no addresses`);
  for (const answer of answers) {
    if (!isPublicAddress(answer.address)) {
      throw refuseUrl(403, `host ${hostname} resolves to a non-public address (${addressRange(answer.address)})`);
    }
  }
  return first;
}

/** DNS lookups cannot be cancelled; stop waiting for them when the request gives up. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
