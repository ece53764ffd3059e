"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { VirtualCards, VirtualTable } from "@/components/CreatorResults";
import { ErrorNote } from "@/components/ErrorNote";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { type ApiJobProgress, type CampaignJob, TERMINAL, api, platformName } from "@/lib/client/api";
import { friendlyText } from "@/lib/client/errors";
import { displayHandle } from "@/lib/client/handle";
import { type CardFilters, type ResultsState, type SortKey, queryOfState, sortAndFilter, stateFromQuery } from "@/lib/client/sort-filter";
import { useJob } from "@/lib/client/use-job";

const STOP_REASONS: Record<string, string> = {
  target_reached: "reached the number of creators asked for",
  exhausted: "the platform had no more results for this search",
  budget_spent: "used its API-call budget",
  no_new_results: "several pages in a row brought no new creators",
};

function Outcome({ job }: { job: ApiJobProgress }) {
  if (job.status === "error") return <div className="note error">The search failed: {job.error ? friendlyText(job.error) : "unknown error"}</div>;
  const kept = job.processedResults > 0 ? ` The ${job.processedResults} creators found before are below.` : "";
  if (job.status === "timeout") return <div className="note error">The search ran out of time{job.error ? `: ${friendlyText(job.error).replace(/\.$/, "")}` : ""}.{kept}</div>;
  if (job.status === "cancelled") return <div className="note warn">You cancelled this search.{kept}</div>;
  if (job.status === "completed") {
    const why = job.stopReason ? STOP_REASONS[job.stopReason] ?? job.stopReason : null;
    return <div className="note ok">Done: {job.processedResults} unique creators{why ? `; the search ${why}` : ""}.</div>;
  }
  return null;
}

/** A job's results: live progress, creators as cards or a table (drawn only near the viewport), sort and filters kept in the URL, CSV export, cancel. */
export default function JobPage() {
  const { id: campaignId, jobId } = useParams<{ id: string; jobId: string }>();
  const [meta, setMeta] = useState<CampaignJob | null>(null);
  const [metaError, setMetaError] = useState<unknown>(null);
  // The URL is the source of truth on load (a reload or a shared link keeps sort, filters and view).
  const [state, setState] = useState<ResultsState>(() => stateFromQuery(new URLSearchParams(typeof window === "undefined" ? "" : window.location.search)));
  const [cancelError, setCancelError] = useState<unknown>(null);

  useEffect(() => {
    const query = queryOfState(state);
    // replaceState, not a Next navigation: typing in the filter box must not re-render the route.
    const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(window.history.state, "", url);
  }, [state]);

  useEffect(() => {
    api.campaigns.get(campaignId).then((c) => {
      const job = c.jobs.find((j) => j.jobId === jobId);
      if (job) setMeta(job);
      else setMetaError(new Error("Search not found in this campaign"));
    }, setMetaError);
  }, [campaignId, jobId]);

  const { progress, creators, transport, error } = useJob(jobId, meta?.platform ?? null);
  // Keystrokes stay immediate; the list catches up in a deferred render.
  const deferred = useDeferredValue(state);
  const shown = useMemo(() => sortAndFilter(creators, deferred.sort, deferred.filters), [creators, deferred.sort, deferred.filters]);
  const unknownFollowers = useMemo(() => creators.filter((c) => c.creator.followers === null).length, [creators]);
  const job = progress ?? meta;
  const running = job ? !TERMINAL.includes(job.status) : false;

  if (metaError) return <ErrorNote error={metaError} />;
  if (!meta || !job) return <p className="muted">Loading…</p>;

  const { filters, sort, view } = state;
  const setFilters = (f: Partial<CardFilters>) => setState((s) => ({ ...s, filters: { ...s.filters, ...f } }));
  const cancel = async () => {
    try {
      await api.jobs.cancel(jobId);
    } catch (e) {
      setCancelError(e);
    }
  };
  const title = meta.targetHandle ? `Creators similar to ${displayHandle(meta.targetHandle)}` : meta.keywords.join(", ");

  return (
    <>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href={`/campaigns/${campaignId}`}>← Campaign</Link> · <Link href={`/campaigns/${campaignId}/roster`}>Roster</Link>
      </nav>
      <div className="row title-row">
        <h1>{title}</h1>
        <StatusBadge status={job.status} />
      </div>
      <p className="muted">
        {platformName(meta.platform)} · {transport === "events" ? "live updates" : "updating every 2 s"}
      </p>
      <div className="panel stack">
        <ProgressBar job={job} />
        <Outcome job={job} />
        {job.skippedKnown > 0 && (
          <p className="muted" data-testid="skipped-known">
            Skipped {job.skippedKnown} creators this campaign already had (only new creators).
          </p>
        )}
        {unknownFollowers > 0 && (
          <p className="muted" data-testid="unknown-followers">
            {unknownFollowers} of {creators.length} creators have no follower count: the platform did not return it{running ? "" : " for this search"}. They show as “unknown”, sort last and are never
            treated as 0. Turn on “Fill in missing profile numbers” on a new search to look them up.
          </p>
        )}
        <div className="row">
          {running && (
            <button type="button" className="danger" onClick={cancel}>
              Cancel search
            </button>
          )}
          <a className="button secondary" href={`/export/${encodeURIComponent(jobId)}`} download>
            Export CSV
          </a>
        </div>
        <ErrorNote error={cancelError ?? error} />
      </div>
      <div className="toolbar" role="search" aria-label="Sort and filter creators">
        <label>
          Sort by
          <select name="sort" value={sort} onChange={(e) => setState((s) => ({ ...s, sort: e.target.value as SortKey }))}>
            <option value="found">First found</option>
            <option value="followers">Followers</option>
            <option value="engagement">Engagement</option>
            <option value="views">Top post views</option>
          </select>
        </label>
        <label>
          Min followers
          <input
            type="number"
            name="minFollowers"
            inputMode="numeric"
            min={0}
            step={1000}
            placeholder="any"
            value={filters.minFollowers ?? ""}
            onChange={(e) => setFilters({ minFollowers: e.target.value === "" ? null : Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
          />
        </label>
        {filters.minFollowers !== null && (
          <label className="inline">
            <input type="checkbox" name="unknownFollowers" checked={filters.unknownFollowers} onChange={(e) => setFilters({ unknownFollowers: e.target.checked })} />
            Keep unknown follower counts
          </label>
        )}
        <label>
          Search
          <input type="search" name="filterText" value={filters.text} onChange={(e) => setFilters({ text: e.target.value })} placeholder="handle, bio, #tag" />
        </label>
        <label className="inline">
          <input type="checkbox" name="withEmail" checked={filters.withEmail} onChange={(e) => setFilters({ withEmail: e.target.checked })} />
          Has email
        </label>
        <label className="inline">
          <input type="checkbox" name="verifiedOnly" checked={filters.verifiedOnly} onChange={(e) => setFilters({ verifiedOnly: e.target.checked })} />
          Verified
        </label>
        <div className="segmented" role="group" aria-label="View">
          <button type="button" aria-pressed={view === "cards"} className={view === "cards" ? "" : "secondary"} onClick={() => setState((s) => ({ ...s, view: "cards" }))}>
            Cards
          </button>
          <button type="button" aria-pressed={view === "table"} className={view === "table" ? "" : "secondary"} onClick={() => setState((s) => ({ ...s, view: "table" }))}>
            Table
          </button>
        </div>
        <span className="muted" data-testid="shown-count" data-filter={deferred.filters.text} aria-live="polite">
          {shown.items.length} of {creators.length} shown
        </span>
        {shown.unknownKept > 0 && (
          <span className="muted" data-testid="unknown-kept">
            ({shown.unknownKept} with unknown followers kept)
          </span>
        )}
      </div>
      {creators.length === 0 ? (
        <div className="panel empty">{running ? "Searching… creators appear here as they are found." : "This search found no creators. Try broader keywords, or another platform."}</div>
      ) : shown.items.length === 0 ? (
        <div className="panel empty">
          No creator matches these filters.{" "}
          <button type="button" className="secondary" onClick={() => setState((s) => ({ ...s, filters: { ...s.filters, minFollowers: null, unknownFollowers: true, withEmail: false, verifiedOnly: false, text: "" } }))}>
            Clear filters
          </button>
        </div>
      ) : view === "table" ? (
        <VirtualTable items={shown.items} />
      ) : (
        <VirtualCards items={shown.items} />
      )}
    </>
  );
}
