"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/components/ErrorNote";
import { api } from "@/lib/client/api";

/** The blueprint's campaign form: step 1 name and description, step 2 the search type (which creates it). */
export default function NewCampaignPage() {
  const router = useRouter();
  const [step, setStep] = useState<1 | 2>(1);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const create = async (searchType: "keyword" | "similar") => {
    setBusy(true);
    setError(null);
    try {
      const campaign = await api.campaigns.create({ name, description: description || null, searchType });
      router.push(`/campaigns/${campaign.id}/search/${searchType}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <>
      <h1>New campaign</h1>
      <p className="muted">Step {step} of 2</p>
      {step === 1 ? (
        <form
          className="panel stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) setStep(2);
            else setError(new Error("Give the campaign a name"));
          }}
        >
          <label>
            Name
            <input type="text" name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} placeholder="Fall soups" required />
          </label>
          <label>
            Description
            <textarea name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} placeholder="What are these creators for?" />
          </label>
          <ErrorNote error={error} />
          <div>
            <button type="submit">Continue</button>
          </div>
        </form>
      ) : (
        <div className="panel stack">
          <h2>How do you want to find creators?</h2>
          <div className="choice">
            <button type="button" disabled={busy} onClick={() => create("keyword")}>
              <strong>Keyword search</strong>
              Creators whose posts match your keywords, on TikTok, YouTube or Instagram.
            </button>
            <button type="button" disabled={busy} onClick={() => create("similar")}>
              <strong>Similar creators</strong>
              Instagram creators similar to one you already know.
            </button>
          </div>
          <ErrorNote error={error} />
          <div>
            <button type="button" className="secondary" onClick={() => setStep(1)}>
              Back
            </button>
          </div>
        </div>
      )}
    </>
  );
}
