import type { CreatorFilters } from "@creatorsearch/core";
import { type Command, InvalidArgumentError } from "commander";
import { UsageError } from "../errors.js";

/** The filter flags as commander parses them (camel-cased), plus `--enrich`. */
export interface FilterFlags {
  minFollowers?: number;
  maxFollowers?: number;
  verifiedOnly?: boolean;
  hasEmail?: boolean;
  minEngagement?: number;
  minAvgViews?: number;
  postedWithinDays?: number;
  enrich?: boolean;
}

const SUFFIX: Record<string, number> = { "": 1, k: 1_000, m: 1_000_000 };

/** A count as people type it: `5000`, `5k`, `1.5m`. */
function count(flag: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(value.trim());
    const n = match ? Math.round(Number(match[1]) * SUFFIX[match[2]!.toLowerCase()]!) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} must be a count such as 5000, 5k or 1.5m`);
    return n;
  };
}

/** An engagement rate as a percentage (`3%`) or a fraction (`0.03`). */
function rate(flag: string) {
  return (value: string): number => {
    const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(value.trim());
    const n = match ? Number(match[1]) / (match[2] ? 100 : 1) : Number.NaN;
    if (!Number.isFinite(n) || (!match![2] && n > 1)) {
      throw new InvalidArgumentError(`${flag} must be a percentage such as 3% or a fraction such as 0.03`);
    }
    return n;
  };
}

function days(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < 1 || n > 3650) throw new InvalidArgumentError(`${flag} must be a whole number of days from 1 to 3650`);
    return n;
  };
}

/** Adds the creator filter flags (and `--enrich`) to a job command. */
export function addFilterFlags(command: Command): Command {
  return command
    .option("--min-followers <n>", "only creators with at least N followers (5000, 5k, 1.5m)", count("--min-followers"))
    .option("--max-followers <n>", "only creators with at most N followers", count("--max-followers"))
    .option("--verified-only", "only accounts the platform marks as verified")
    .option("--has-email", "only creators with an email address in their bio")
    .option("--min-engagement <rate>", "only creators with at least this engagement rate (3% or 0.03)", rate("--min-engagement"))
    .option("--min-avg-views <n>", "only creators averaging at least N views per post found", count("--min-avg-views"))
    .option("--posted-within-days <n>", "only creators with a post found from the last N days", days("--posted-within-days"))
    .option("--enrich", "look up each creator's profile (bio, verification) with one API call each, within the budget");
}

/**
 * The job options of the parsed flags. Refuses `--min-followers` above `--max-followers`
 * before anything is spent.
 */
export function jobOptionsOf(flags: FilterFlags): CreatorFilters & { enrich?: boolean } {
  if (flags.minFollowers !== undefined && flags.maxFollowers !== undefined && flags.minFollowers > flags.maxFollowers) {
    throw new UsageError(`--max-followers (${flags.maxFollowers}) must be at least --min-followers (${flags.minFollowers})`);
  }
  const options: CreatorFilters & { enrich?: boolean } = {};
  if (flags.minFollowers !== undefined) options.minFollowers = flags.minFollowers;
  if (flags.maxFollowers !== undefined) options.maxFollowers = flags.maxFollowers;
  if (flags.verifiedOnly) options.verifiedOnly = true;
  if (flags.hasEmail) options.hasEmail = true;
  if (flags.minEngagement !== undefined) options.minEngagementRate = flags.minEngagement;
  if (flags.minAvgViews !== undefined) options.minAvgViews = flags.minAvgViews;
  if (flags.postedWithinDays !== undefined) options.postedWithinDays = flags.postedWithinDays;
  if (flags.enrich) options.enrich = true;
  return options;
}
