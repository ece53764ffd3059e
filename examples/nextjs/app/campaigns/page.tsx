"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { ErrorNote } from "@/components/ErrorNote";
import { type ApiCampaign, api } from "@/lib/client/api";

export default function CampaignsPage() {
  const [campaigns, setCampaigns] = useState<ApiCampaign[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.campaigns.list({ limit: 200 }).then((r) => setCampaigns(r.campaigns), setError);
  }, []);
  return (
    <>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1>Campaigns</h1>
        <Link className="button" href="/campaigns/new">
          New campaign
        </Link>
      </div>
      <ErrorNote error={error} />
      {campaigns === null && !error && <p className="muted">Loading…</p>}
      {campaigns?.length === 0 && (
        <div className="panel empty">
          <p>No campaigns yet.</p>
          <Link className="button" href="/campaigns/new">
            Create your first campaign
          </Link>
        </div>
      )}
      {campaigns && campaigns.length > 0 && (
        <div className="table-scroll">
        <table data-testid="campaigns">
          <thead>
            <tr>
              <th>Name</th>
              <th>Search</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/campaigns/${c.id}`}>{c.name}</Link>
                  {c.description && <div className="muted">{c.description}</div>}
                </td>
                <td>{c.searchType === "similar" ? "Similar creators" : "Keywords"}</td>
                <td>{new Date(c.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </>
  );
}
