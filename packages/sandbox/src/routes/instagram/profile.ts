import { personaOfHandle } from "../../data/creator.js";
import { itemBytes, PADDING_SHARE } from "../../data/media-padding.js";
import { requireParam } from "../../http/params.js";
import type { Route } from "../types.js";
import { instagramUser } from "./shapes.js";

/**
 * `GET /v1/instagram/profile`: `handle` (required, leading `@` stripped), `trim`, `cache_max_age`.
 * An unknown handle answers 200 `{ success: true, data: { user: null } }` and is billed, as
 * observed upstream. Most profiles carry `edge_related_profiles` (a walkable graph), some not.
 */
export const instagramProfile: Route = {
  path: "/v1/instagram/profile",
  cacheable: true,
  handle({ params, options }) {
    const handle = requireParam(params, "handle");
    const persona = personaOfHandle(options.seed, handle);
    if (!persona) return { body: { data: { user: null } } };
    return { body: { status: "ok", data: { user: instagramUser(options.seed, persona, options.now, itemBytes(options, PADDING_SHARE.instagramPost)) } } };
  },
};
