"use client";
import Link from "next/link";
import { useParams, usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ErrorNote } from "@/components/ErrorNote";
import { type ApiRosterEntry, type ApiRosterFilters, PLATFORM_NAMES, type Platform, api, formatCount, platformName } from "@/lib/client/api";
import { type RosterStatus, STATUSES, STATUS_LABELS, alsoOn, filtersFromQuery, parseTags, queryOfFilters } from "@/lib/client/roster";

const PAGE = 50;
const TYPING_MS = 300;

/** One roster entry: status changes at once; notes and tags are saved when the field is left or Enter is pressed. */
function RosterRow({
  entry,
  selected,
  onSelect,
  onSave,
}: {
  entry: ApiRosterEntry;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onSave: (patch: { status?: RosterStatus; notes?: string | null; tags?: string[] }) => Promise<void>;
}) {
  const [notes, setNotes] = useState(entry.notes ?? "");
  const [tags, setTags] = useState(entry.tags.join(", "));
  // A saved answer (or a bulk change) replaces the entry: show what the server kept.
  useEffect(() => setNotes(entry.notes ?? ""), [entry.notes]);
  useEffect(() => setTags(entry.tags.join(", ")), [entry.tags]);

  const saveNotes = () => {
    const next = notes.trim() ? notes : null;
    if (next !== entry.notes) void onSave({ notes: next });
  };
  const saveTags = () => {
    const next = parseTags(tags);
    if (next.join("\u0000") !== entry.tags.join("\u0000")) void onSave({ tags: next });
  };
  const who = `@${entry.handle}`;
  const keywords = [...new Set(entry.foundBy.flatMap((s) => s.inputs))];
  return (
    <tr data-testid="roster-row" data-id={entry.id} data-status={entry.status}>
      <td>
        <input type="checkbox" aria-label={`Select ${who}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
      </td>
      <td>
        <div className="name">{entry.profileUrl ? <a href={entry.profileUrl} target="_blank" rel="noreferrer noopener" data-testid="roster-handle">{who}</a> : <span data-testid="roster-handle">{who}</span>}</div>
        {entry.name && <div>{entry.name}</div>}
        {alsoOn(entry).map((line) => (
          <div key={line.key} className="muted also-on" data-testid={line.inRoster ? "also-on-linked" : "also-on-link"}>
            {line.url ? <a href={line.url} target="_blank" rel="noreferrer noopener">{line.text}</a> : line.text}
            {line.inRoster && " (in this roster)"}
          </div>
        ))}
      </td>
      <td data-testid="roster-platform">{platformName(entry.platform)}</td>
      <td>{formatCount(entry.followers)}</td>
      <td>
        <select aria-label={`Status of ${who}`} value={entry.status} onChange={(e) => void onSave({ status: e.target.value as RosterStatus })}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          type="text"
          aria-label={`Tags of ${who}`}
          value={tags}
          placeholder="vegan, budget"
          onChange={(e) => setTags(e.target.value)}
          onBlur={saveTags}
          onKeyDown={(e) => e.key === "Enter" && saveTags()}
        />
      </td>
      <td>
        <input
          type="text"
          aria-label={`Notes on ${who}`}
          value={notes}
          maxLength={5000}
          onChange={(e) => setNotes(e.target.value)}
          onBlur={saveNotes}
          onKeyDown={(e) => e.key === "Enter" && saveNotes()}
        />
      </td>
      <td data-testid="found-by" title={entry.foundBy.map((s) => `${s.inputs.join(", ")} (${new Date(s.at).toLocaleString()})`).join("\n")}>
        {entry.foundBy.length} {entry.foundBy.length === 1 ? "search" : "searches"}
        <div className="muted">{keywords.join(", ")}</div>
      </td>
    </tr>
  );
}

/** A text filter that reaches the URL once typing pauses, so each keystroke does not reload the roster. */
function TextFilter({ label, name, value, placeholder, onChange }: { label: string; name: string; value: string; placeholder: string; onChange: (v: string) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  useEffect(() => {
    if (draft.trim() === value.trim()) return;
    const timer = setTimeout(() => onChange(draft), TYPING_MS);
    return () => clearTimeout(timer);
  }, [draft, value, onChange]);
  return (
    <label>
      {label}
      <input type="search" name={name} value={draft} placeholder={placeholder} onChange={(e) => setDraft(e.target.value)} />
    </label>
  );
}

function Roster() {
  const { id: campaignId } = useParams<{ id: string }>();
  const router = useRouter();
  const pathname = usePathname();
  const query = useSearchParams();
  const queryString = query.toString();
  const filters = useMemo(() => filtersFromQuery(new URLSearchParams(queryString)), [queryString]);
  const [campaignName, setCampaignName] = useState<string | null>(null);
  const [items, setItems] = useState<ApiRosterEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkStatus, setBulkStatus] = useState<RosterStatus>("shortlisted");
  const [notice, setNotice] = useState<string | null>(null);
  // Answers to an older filter are dropped: only the latest request may fill the table.
  const generation = useRef(0);

  useEffect(() => {
    api.campaigns.get(campaignId).then((c) => setCampaignName(c.name), setError);
  }, [campaignId]);

  const loadPage = useCallback(
    async (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      try {
        const page = await api.campaigns.creators.list(campaignId, { ...filters, limit: PAGE, after });
        if (mine !== generation.current) return;
        setItems((all) => (after === null ? page.items : [...all, ...page.items]));
        setCursor(page.nextCursor);
        setHasMore(page.hasMore);
        setError(null);
      } catch (e) {
        if (mine === generation.current) setError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [campaignId, filters],
  );

  useEffect(() => {
    setSelected(new Set());
    void loadPage(null);
  }, [loadPage]);

  const setFilter = useCallback(
    (key: keyof ApiRosterFilters, value: string) => {
      const next = queryOfFilters({ ...filtersFromQuery(new URLSearchParams(window.location.search)), [key]: value });
      router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  const setQ = useCallback((v: string) => setFilter("q", v), [setFilter]);
  const setTag = useCallback((v: string) => setFilter("tag", v), [setFilter]);

  const replace = (updated: readonly ApiRosterEntry[]) => {
    const byId = new Map(updated.map((e) => [e.id, e]));
    setItems((all) => all.map((e) => byId.get(e.id) ?? e));
  };
  const save = async (entry: ApiRosterEntry, patch: { status?: RosterStatus; notes?: string | null; tags?: string[] }) => {
    try {
      replace([await api.campaigns.creators.update(campaignId, entry.id, patch)]);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };
  const applyBulk = async () => {
    try {
      const ids = [...selected];
      const answer = await api.campaigns.creators.updateMany(campaignId, ids, { status: bulkStatus });
      replace(answer.items);
      setSelected(new Set());
      setNotice(`${answer.items.length} set to ${STATUS_LABELS[bulkStatus]}${answer.notFound.length ? `; ${answer.notFound.length} no longer on the roster` : ""}.`);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  const allSelected = items.length > 0 && items.every((e) => selected.has(e.id));
  const exportQuery = queryOfFilters(filters);
  const filtered = exportQuery !== "";

  return (
    <>
      <p>
        <Link href={`/campaigns/${campaignId}`}>← {campaignName ?? "Campaign"}</Link>
      </p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Roster</h1>
        <a className="button secondary" href={`/api/campaigns/${encodeURIComponent(campaignId)}/export?format=csv${exportQuery ? `&${exportQuery}` : ""}`} download>
          Export CSV
        </a>
      </div>
      <p className="muted">Every creator this campaign&apos;s searches found, once each, with your team&apos;s status, tags and notes.</p>
      <form className="toolbar" role="search" aria-label="Filter the roster" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select name="status" value={filters.status ?? ""} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Platform
          <select name="platform" value={filters.platform ?? ""} onChange={(e) => setFilter("platform", e.target.value)}>
            <option value="">Any</option>
            {(Object.keys(PLATFORM_NAMES) as Platform[]).map((p) => (
              <option key={p} value={p}>
                {PLATFORM_NAMES[p]}
              </option>
            ))}
          </select>
        </label>
        <TextFilter label="Tag" name="tag" value={filters.tag ?? ""} placeholder="vegan" onChange={setTag} />
        <TextFilter label="Search" name="q" value={filters.q ?? ""} placeholder="handle or name" onChange={setQ} />
        {filtered && (
          <button type="button" className="secondary" onClick={() => router.replace(pathname, { scroll: false })}>
            Clear filters
          </button>
        )}
      </form>
      <div className="toolbar" aria-label="Change the selected creators">
        <label>
          Set selected to
          <select name="bulkStatus" value={bulkStatus} onChange={(e) => setBulkStatus(e.target.value as RosterStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={selected.size === 0} onClick={() => void applyBulk()}>
          Apply to {selected.size} selected
        </button>
        <span className="muted" data-testid="roster-count" aria-live="polite">
          {items.length} shown{hasMore ? ", more to load" : ""}
        </span>
      </div>
      {notice && (
        <div className="note ok" role="status">
          {notice}
        </div>
      )}
      <ErrorNote error={error} />
      {items.length === 0 ? (
        <div className="panel empty">{loading ? "Loading…" : filtered ? "No creator matches these filters." : "No creators yet: run a search in this campaign."}</div>
      ) : (
        <div className="table-scroll">
          <table data-testid="roster" className="roster">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select all shown"
                    checked={allSelected}
                    onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
                  />
                </th>
                <th>Creator</th>
                <th>Platform</th>
                <th>Followers</th>
                <th>Status</th>
                <th>Tags</th>
                <th>Notes</th>
                <th>Found by</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <RosterRow
                  key={entry.id}
                  entry={entry}
                  selected={selected.has(entry.id)}
                  onSelect={(on) =>
                    setSelected((all) => {
                      const next = new Set(all);
                      if (on) next.add(entry.id);
                      else next.delete(entry.id);
                      return next;
                    })
                  }
                  onSave={(patch) => save(entry, patch)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && (
        <p>
          <button type="button" className="secondary" disabled={loading} onClick={() => void loadPage(cursor)}>
            {loading ? "Loading…" : "Load more"}
          </button>
        </p>
      )}
    </>
  );
}

/** A campaign's roster: filters in the URL, paging with `after=`, status/notes/tags edits, bulk status, CSV export. */
export default function RosterPage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <Roster />
    </Suspense>
  );
}
