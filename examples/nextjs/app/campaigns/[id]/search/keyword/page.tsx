"use client";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { CreatorCount } from "@/components/CreatorCount";
import { ErrorNote } from "@/components/ErrorNote";
import { OnlyNewSwitch } from "@/components/OnlyNewSwitch";
import { type Platform, PLATFORM_NAMES, api } from "@/lib/client/api";

const PLATFORMS: { id: Platform; hint: string }[] = [
  { id: "tiktok", hint: "Authors of videos matching the keywords" },
  { id: "youtube", hint: "Channels matching the keywords" },
  { id: "instagram", hint: "Authors of reels matching the keywords" },
];

/** Keyword search: step 1 platform and creator count, step 2 keywords and review, then the results page. */
export default function KeywordSearchPage() {
  const { id: campaignId } = useParams<{ id: string }>();
  const router = useRouter();
  const [step, setStep] = useState<1 | 2>(1);
  const [platform, setPlatform] = useState<Platform>("tiktok");
  const [count, setCount] = useState(100);
  const [onlyNew, setOnlyNew] = useState(false);
  const [draft, setDraft] = useState("");
  const [keywords, setKeywords] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const add = () => {
    const words = draft
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
    setKeywords((k) => [...new Set([...k, ...words])].slice(0, 20));
    setDraft("");
  };

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await api.searches.start(platform, { campaignId, keywords, targetResults: count, ...(onlyNew ? { onlyNew: true } : {}) });
      router.push(`/campaigns/${campaignId}/jobs/${jobId}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Keyword search</h1>
      <p className="muted">Step {step} of 2</p>
      {step === 1 ? (
        <div className="panel stack">
          <fieldset className="stack" style={{ border: "none", padding: 0 }}>
            <legend style={{ fontWeight: 600, marginBottom: 8 }}>Platform</legend>
            {PLATFORMS.map((p) => (
              <label key={p.id} className="inline">
                <input type="radio" name="platform" value={p.id} checked={platform === p.id} onChange={() => setPlatform(p.id)} />
                {PLATFORM_NAMES[p.id]} <span className="muted">— {p.hint}</span>
              </label>
            ))}
          </fieldset>
          <CreatorCount value={count} onChange={setCount} />
          <OnlyNewSwitch checked={onlyNew} onChange={setOnlyNew} />
          <div>
            <button type="button" onClick={() => setStep(2)}>
              Continue
            </button>
          </div>
        </div>
      ) : (
        <div className="panel stack">
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              add();
            }}
          >
            <label style={{ flex: 1 }}>
              Keywords (Enter or comma to add each)
              <input type="text" name="keyword" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="soup recipes" />
            </label>
            <button type="submit" className="secondary" style={{ alignSelf: "end" }}>
              Add
            </button>
          </form>
          <div>
            <strong>Review</strong>
            <p className="muted">
              {PLATFORM_NAMES[platform]}, up to {count} unique {onlyNew ? "new " : ""}creators, one search per keyword:
            </p>
            {keywords.length === 0 ? (
              <p className="muted">No keywords yet.</p>
            ) : (
              <div className="chips" data-testid="keywords">
                {keywords.map((k) => (
                  <span key={k} className="chip">
                    {k}
                    <button type="button" aria-label={`Remove ${k}`} onClick={() => setKeywords((all) => all.filter((x) => x !== k))}>
                      ×
                    </button>
                  </span>
                ))}
              </div>
            )}
          </div>
          <ErrorNote error={error} />
          <div className="row">
            <button type="button" className="secondary" onClick={() => setStep(1)}>
              Back
            </button>
            <button type="button" disabled={busy || keywords.length === 0} onClick={start}>
              Start search
            </button>
          </div>
        </div>
      )}
    </>
  );
}
