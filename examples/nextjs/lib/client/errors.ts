import { ApiError } from "./api";

/**
 * Field names of the API, in the words the forms use. `keywords.2` becomes "Keyword 3"; an
 * unknown field keeps its name rather than being dropped.
 */
const FIELD_LABELS: Record<string, string> = {
  targetHandle: "Instagram handle",
  keywords: "Keywords",
  targetResults: "Number of creators",
  campaignId: "Campaign",
  name: "Name",
  description: "Description",
  enrich: "Fill in missing profile numbers",
  onlyNew: "Only new creators",
  maxApiCalls: "API-call budget",
  minFollowers: "Min followers",
};

export function fieldLabel(field: string): string {
  const [head, index] = field.split(".");
  if (head === "keywords" && index !== undefined && /^\d+$/.test(index)) return `Keyword ${Number(index) + 1}`;
  return FIELD_LABELS[head ?? field] ?? field;
}

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** "Keyword 2 must be at most 100 characters."; a reason that is a sentence of its own stays one. */
function sentence(field: string, reason: string): string {
  const text = reason.trim().replace(/[.;]\s*$/, "");
  // Reasons like `must be…`, `is required`, `at least one…` read as the end of a sentence about the field.
  const tail = /^(must|is|are|at (least|most)|should|cannot)\b/.test(text);
  return tail && field ? `${fieldLabel(field)} ${text}.` : `${capitalize(text)}.`;
}

// The API's summary line (`Invalid input: field: reason`): split off, so the reason can be reworded.
const SUMMARY = /^Invalid input:\s*(?:([\w.]+):\s*)?/;

/**
 * What went wrong, once, in words for the person at the form: the reasons of a 400 (each
 * naming its field as the form labels it), "not found", a rate limit, a dead server.
 */
export function friendlyMessages(error: unknown): string[] {
  if (!error) return [];
  if (error instanceof ApiError) {
    if (error.issues.length > 0) return [...new Set(error.issues.map((i) => sentence(i.field, i.reason)))];
    if (error.status === 429) {
      const wait = error.retryAfterMs ? ` Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.` : " Try again in a minute.";
      return [`You started many searches in a short time.${wait}`];
    }
    if (error.status >= 500) return [`The server had a problem (${error.status}). Try again; if it keeps happening, check the server's log.`];
    return [friendlyText(error.message)];
  }
  // fetch's TypeError: the request never got an answer.
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return ["The app's server did not answer. Check that it is running, then try again."];
  return [friendlyText(error instanceof Error ? error.message : String(error))];
}

/** A message from the API or a job's `error`, without its `Invalid input: field:` prefix. */
export function friendlyText(message: string): string {
  const match = SUMMARY.exec(message);
  if (!match) return message;
  return sentence(match[1] ?? "", message.slice(match[0].length));
}
