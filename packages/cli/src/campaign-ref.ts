import { type Campaign, type CreatorSearch, NotFoundError } from "@creatorsearch/core";

/** Most campaigns looked through to find one by name. */
const MAX_CAMPAIGNS = 200;

/**
 * The user's campaign named by `ref`: its id, or its name (case-insensitive; the newest of that
 * name). `create` makes a campaign of that name when none matches; otherwise it is a
 * `NotFoundError`.
 */
export async function campaignByRef(
  cs: CreatorSearch,
  userId: string,
  ref: string,
  create?: Omit<Parameters<CreatorSearch["campaigns"]["create"]>[1], "name">,
): Promise<{ campaign: Campaign; created: boolean }> {
  const byId = await cs.campaigns.get(userId, ref);
  if (byId) return { campaign: byId, created: false };
  const name = ref.trim().toLowerCase();
  const campaigns = await cs.campaigns.list(userId, { limit: MAX_CAMPAIGNS, includeArchived: true });
  const byName = campaigns.find((c) => c.name.toLowerCase() === name);
  if (byName) return { campaign: byName, created: false };
  if (!create) throw new NotFoundError("Campaign", ref);
  return { campaign: await cs.campaigns.create(userId, { ...create, name: ref.trim() }), created: true };
}
