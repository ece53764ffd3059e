"use client";
import { useEffect, useState } from "react";

const clamp = (n: number) => Math.min(1000, Math.max(10, Math.round(n)));

/** How many creators to find: a slider (10 to 1,000) and the number beside it to type. */
export function CreatorCount({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  // The typed text is kept as typed until it is a number in range (typing "250" passes through "2").
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  return (
    <fieldset className="count">
      <legend>
        How many creators? <span data-testid="creator-count">{value}</span>
      </legend>
      <div className="row">
        <input type="range" name="targetResults" aria-label="How many creators (slider)" min={10} max={1000} step={10} value={value} onChange={(e) => onChange(clamp(Number(e.target.value)))} />
        <input
          type="number"
          name="targetResultsNumber"
          aria-label="How many creators"
          inputMode="numeric"
          min={10}
          max={1000}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            const n = Number(e.target.value);
            if (e.target.value !== "" && Number.isFinite(n) && n >= 10 && n <= 1000) onChange(Math.round(n));
          }}
          onBlur={() => setDraft(String(value))}
        />
      </div>
    </fieldset>
  );
}
