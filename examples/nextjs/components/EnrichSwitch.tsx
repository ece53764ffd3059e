import { type SearchKind, estimateCredits, JOB_BUDGET } from "@/lib/client/credits";

/**
 * "Fill in missing profile numbers" (the job's `enrich` option) with what it costs: one
 * profile lookup per creator the search returns without numbers, counted against the budget.
 */
export function EnrichSwitch({ kind, target, keywords, checked, onChange }: { kind: SearchKind; target: number; keywords?: number; checked: boolean; onChange: (on: boolean) => void }) {
  const off = estimateCredits(kind, target, false, keywords);
  const on = estimateCredits(kind, target, true, keywords);
  if (!on.fills) {
    return (
      <p className="muted" data-testid="credit-estimate">
        About {off.total} credits (one per results page). This search returns follower counts itself.
      </p>
    );
  }
  const shown = checked ? on : off;
  return (
    <div className="stack tight">
      <label className="inline">
        <input type="checkbox" role="switch" name="enrich" checked={checked} aria-checked={checked} aria-describedby="credit-estimate" onChange={(e) => onChange(e.target.checked)} />
        Fill in missing profile numbers <span className="muted">— {on.fills}</span>
      </label>
      <p className="muted" id="credit-estimate" data-testid="credit-estimate" aria-live="polite">
        About <strong>{shown.total} credits</strong>
        {checked ? ` (${shown.searchCalls} for results pages + ${on.enrichCalls} profile lookups)` : ` (one per results page; +${on.enrichCalls} with profile numbers)`}.
        {shown.capped && ` A search stops at ${JOB_BUDGET} API calls, so creators beyond it stay without numbers or are not reached.`}
      </p>
    </div>
  );
}
