"use client";
import { useParams, useRouter } from "next/navigation";
import { useState } from "react";
import { CreatorCount } from "@/components/CreatorCount";
import { ErrorNote } from "@/components/ErrorNote";
import { EnrichSwitch } from "@/components/EnrichSwitch";
import { OnlyNewSwitch } from "@/components/OnlyNewSwitch";
import { type Platform, PLATFORM_NAMES, api } from "@/lib/client/api";

const MAX_KEYWORD = 100;
const MAX_KEYWORDS = 20;

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
  // On where the search leaves numbers out (YouTube subscribers); TikTok's lookups add only bio and verification.
  const [enrich, setEnrich] = useState<boolean | null>(null);
  const enrichOn = enrich ?? platform === "youtube";
  const [draft, setDraft] = useState("");
  const [keywords, setKeywords] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const add = () => {
    const words = draft
      .split(",")
      .map((w) => w.trim())
      .filter(Boolean);
    // Said here, in the form's words, instead of a 400 naming `keywords.0` later.
    const long = words.find((w) => w.length > MAX_KEYWORD);
    if (long) {
      setError(new Error(`Each keyword can be at most ${MAX_KEYWORD} characters; “${long.slice(0, 40)}…” has ${long.length}. Separate keywords with commas.`));
      return;
    }
    const all = [...new Set([...keywords, ...words])];
    if (all.length > MAX_KEYWORDS) {
      setError(new Error(`A search takes at most ${MAX_KEYWORDS} keywords.`));
      return;
    }
    setError(null);
    setKeywords(all);
    setDraft("");
  };

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await api.searches.start(platform, { campaignId, keywords, targetResults: count, enrich: enrichOn, ...(onlyNew ? { onlyNew: true } : {}) });
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
          <EnrichSwitch kind={platform} target={count} checked={enrichOn} onChange={setEnrich} />
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
            <label style={{ flex: "1 1 200px" }}>
              Keywords (Enter or comma to add each)
              <input type="text" name="keyword" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="soup recipes" aria-invalid={error ? true : undefined} />
            </label>
            <button type="submit" className="secondary" style={{ alignSelf: "end" }}>
              Add
            </button>
          </form>
          <div>
            <strong>Review</strong>
            <p className="muted">
              {PLATFORM_NAMES[platform]}, up to {count} unique {onlyNew ? "new " : ""}creators, one search per keyword
              {enrichOn ? ", missing profile numbers filled in" : ""}:
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
