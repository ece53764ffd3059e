"use client";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { CreatorCount } from "@/components/CreatorCount";
import { ErrorNote } from "@/components/ErrorNote";
import { OnlyNewSwitch } from "@/components/OnlyNewSwitch";
import { api } from "@/lib/client/api";

/** Instagram similar search: creators related to a handle you already know. */
export default function SimilarSearchPage() {
  const { id: campaignId } = useParams<{ id: string }>();
  const router = useRouter();
  const [handle, setHandle] = useState("");
  const [count, setCount] = useState(100);
  const [onlyNew, setOnlyNew] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const targetHandle = handle.trim().replace(/^@/, "");
      const { jobId } = await api.searches.start("instagram", { campaignId, targetHandle, targetResults: count, ...(onlyNew ? { onlyNew: true } : {}) });
      router.push(`/campaigns/${campaignId}/jobs/${jobId}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Similar creators on Instagram</h1>
      <form
        className="panel stack"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          Instagram handle or profile URL
          <input type="text" name="handle" value={handle} onChange={(e) => setHandle(e.target.value)} placeholder="@cozy.kitchen" required />
        </label>
        <CreatorCount value={count} onChange={setCount} />
        <OnlyNewSwitch checked={onlyNew} onChange={setOnlyNew} />
        <ErrorNote error={error} />
        <div>
          <button type="submit" disabled={busy || !handle.trim()}>
            Find similar creators
          </button>
        </div>
      </form>
    </>
  );
}
