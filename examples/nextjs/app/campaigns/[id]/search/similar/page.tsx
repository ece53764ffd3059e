"use client";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { CreatorCount } from "@/components/CreatorCount";
import { ErrorNote } from "@/components/ErrorNote";
import { EnrichSwitch } from "@/components/EnrichSwitch";
import { OnlyNewSwitch } from "@/components/OnlyNewSwitch";
import { api } from "@/lib/client/api";
import { checkInstagramHandle } from "@/lib/client/handle";

/** Instagram similar search: creators related to a handle you already know. */
export default function SimilarSearchPage() {
  const { id: campaignId } = useParams<{ id: string }>();
  const router = useRouter();
  const [handle, setHandle] = useState("");
  const [count, setCount] = useState(100);
  const [onlyNew, setOnlyNew] = useState(false);
  const [enrich, setEnrich] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const start = async () => {
    // Checked here first, so the message names the field as the form does; the server checks again.
    const checked = checkInstagramHandle(handle);
    if ("problem" in checked) {
      setError(new Error(checked.problem));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The bare handle is what the job stores and the results page titles ("@cozy.kitchen", whatever was typed).
      const { jobId } = await api.searches.start("instagram", { campaignId, targetHandle: checked.handle, targetResults: count, enrich, ...(onlyNew ? { onlyNew: true } : {}) });
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
          <input
            type="text"
            name="handle"
            value={handle}
            onChange={(e) => setHandle(e.target.value)}
            placeholder="@cozy.kitchen"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "form-error" : undefined}
          />
        </label>
        <CreatorCount value={count} onChange={setCount} />
        <EnrichSwitch kind="similar" target={count} checked={enrich} onChange={setEnrich} />
        <OnlyNewSwitch checked={onlyNew} onChange={setOnlyNew} />
        <ErrorNote error={error} id="form-error" />
        <div>
          <button type="submit" disabled={busy}>
            Find similar creators
          </button>
        </div>
      </form>
    </>
  );
}
