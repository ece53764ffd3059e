"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { CreatorCardView } from "@/components/CreatorCardView";
import { ErrorNote } from "@/components/ErrorNote";
import { ProgressBar } from "@/components/ProgressBar";
import { StatusBadge } from "@/components/StatusBadge";
import { type ApiJobProgress, type CampaignJob, TERMINAL, api, platformName } from "@/lib/client/api";
import { type CardFilters, NO_FILTERS, type SortKey, sortAndFilter } from "@/lib/client/sort-filter";
import { useJob } from "@/lib/client/use-job";

const STOP_REASONS: Record<string, string> = {
  target_reached: "reached the number of creators asked for",
  exhausted: "the platform had no more results for this search",
  budget_spent: "used its API-call budget",
  no_new_results: "several pages in a row brought no new creators",
};

function Outcome({ job }: { job: ApiJobProgress }) {
  if (job.status === "error") return <div className="note error">The search failed: {job.error ?? "unknown error"}</div>;
  const kept = job.processedResults > 0 ? ` The ${job.processedResults} creators found before are below.` : "";
  if (job.status === "timeout") return <div className="note error">The search ran out of time{job.error ? `: ${job.error}` : ""}.{kept}</div>;
  if (job.status === "cancelled") return <div className="note warn">You cancelled this search.{kept}</div>;
  if (job.status === "completed") {
    const why = job.stopReason ? STOP_REASONS[job.stopReason] ?? job.stopReason : null;
    return <div className="note ok">Done: {job.processedResults} unique creators{why ? `; the search ${why}` : ""}.</div>;
  }
  return null;
}

/** A job's results: live progress, creator cards with sorting and filters, CSV export, cancel. */
export default function JobPage() {
  const { id: campaignId, jobId } = useParams<{ id: string; jobId: string }>();
  const [meta, setMeta] = useState<CampaignJob | null>(null);
  const [metaError, setMetaError] = useState<unknown>(null);
  const [sort, setSort] = useState<SortKey>("found");
  const [filters, setFilters] = useState<CardFilters>(NO_FILTERS);
  const [cancelError, setCancelError] = useState<unknown>(null);

  useEffect(() => {
    api.campaigns.get(campaignId).then((c) => {
      const job = c.jobs.find((j) => j.jobId === jobId);
      if (job) setMeta(job);
      else setMetaError(new Error("Search not found in this campaign"));
    }, setMetaError);
  }, [campaignId, jobId]);

  const { progress, creators, transport, error } = useJob(jobId, meta?.platform ?? null);
  const shown = useMemo(() => sortAndFilter(creators, sort, filters), [creators, sort, filters]);
  const job = progress ?? meta;
  const running = job ? !TERMINAL.includes(job.status) : false;

  if (metaError) return <ErrorNote error={metaError} />;
  if (!meta || !job) return <p className="muted">Loading…</p>;

  const cancel = async () => {
    try {
      await api.jobs.cancel(jobId);
    } catch (e) {
      setCancelError(e);
    }
  };

  return (
    <>
      <p>
        <Link href={`/campaigns/${campaignId}`}>← Campaign</Link> · <Link href={`/campaigns/${campaignId}/roster`}>Roster</Link>
      </p>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>{meta.targetHandle ? `Creators similar to @${meta.targetHandle}` : meta.keywords.join(", ")}</h1>
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
        <div className="row">
          {running && (
            <button type="button" className="danger" onClick={cancel}>
              Cancel search
            </button>
          )}
          <a className="button secondary" href={`/api/jobs/${encodeURIComponent(jobId)}/export.csv`} download>
            Export CSV
          </a>
        </div>
        <ErrorNote error={cancelError ?? error} />
      </div>
      <div className="toolbar">
        <label>
          Sort by
          <select name="sort" value={sort} onChange={(e) => setSort(e.target.value as SortKey)}>
            <option value="found">First found</option>
            <option value="followers">Followers</option>
            <option value="engagement">Engagement</option>
            <option value="views">Top post views</option>
          </select>
        </label>
        <label>
          Min followers
          <input type="number" name="minFollowers" min={0} step={1000} value={filters.minFollowers} onChange={(e) => setFilters({ ...filters, minFollowers: Math.max(0, Number(e.target.value) || 0) })} />
        </label>
        <label>
          Search
          <input type="text" name="filterText" value={filters.text} onChange={(e) => setFilters({ ...filters, text: e.target.value })} placeholder="handle, bio, #tag" />
        </label>
        <label className="inline">
          <input type="checkbox" name="withEmail" checked={filters.withEmail} onChange={(e) => setFilters({ ...filters, withEmail: e.target.checked })} />
          Has email
        </label>
        <label className="inline">
          <input type="checkbox" name="verifiedOnly" checked={filters.verifiedOnly} onChange={(e) => setFilters({ ...filters, verifiedOnly: e.target.checked })} />
          Verified
        </label>
        <span className="muted" data-testid="shown-count">
          {shown.length} of {creators.length} shown
        </span>
      </div>
      {creators.length === 0 ? (
        <div className="panel empty">{running ? "Searching… creators appear here as they are found." : "No creators found."}</div>
      ) : shown.length === 0 ? (
        <div className="panel empty">No creator matches these filters.</div>
      ) : (
        <div className="cards">
          {shown.map((item) => (
            <CreatorCardView key={`${item.platform}:${item.creator.id}`} item={item} />
          ))}
        </div>
      )}
    </>
  );
}
