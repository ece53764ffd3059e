"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useEffect, useState } from "react";
import { ErrorNote } from "@/components/ErrorNote";
import { StatusBadge } from "@/components/StatusBadge";
import { type ApiCampaignWithJobs, api, platformName } from "@/lib/client/api";
import { displayHandle } from "@/lib/client/handle";

/** A campaign and its past searches. */
export default function CampaignPage() {
  const { id } = useParams<{ id: string }>();
  const [campaign, setCampaign] = useState<ApiCampaignWithJobs | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.campaigns.get(id).then(setCampaign, setError);
  }, [id]);
  if (error) return <ErrorNote error={error} />;
  if (!campaign) return <p className="muted">Loading…</p>;
  return (
    <>
      <h1>{campaign.name}</h1>
      {campaign.description && <p className="muted">{campaign.description}</p>}
      <div className="row">
        <Link className="button" href={`/campaigns/${campaign.id}/search/keyword`}>
          New keyword search
        </Link>
        <Link className="button secondary" href={`/campaigns/${campaign.id}/search/similar`}>
          New similar search
        </Link>
        <Link className="button secondary" href={`/campaigns/${campaign.id}/roster`}>
          Roster
        </Link>
      </div>
      <h2>Searches</h2>
      {campaign.jobs.length === 0 ? (
        <div className="panel empty">No searches in this campaign yet. Start with a keyword search, or find creators similar to one you know.</div>
      ) : (
        <div className="table-scroll">
        <table data-testid="jobs">
          <thead>
            <tr>
              <th>Search</th>
              <th>Platform</th>
              <th>Status</th>
              <th>Creators</th>
              <th>Started</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {campaign.jobs.map((job) => (
              <tr key={job.jobId}>
                <td>{job.targetHandle ? `Similar to ${displayHandle(job.targetHandle)}` : job.keywords.join(", ")}</td>
                <td>{platformName(job.platform)}</td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td>
                  {job.processedResults} / {job.targetResults}
                </td>
                <td>{new Date(job.createdAt).toLocaleString()}</td>
                <td>
                  <Link href={`/campaigns/${campaign.id}/jobs/${job.jobId}`}>Results</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </>
  );
}
