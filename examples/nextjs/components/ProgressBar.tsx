import type { ApiJobProgress } from "@/lib/client/api";

/** The job's progress toward its target; a completed job shows 100% whatever stopped it. */
export function ProgressBar({ job }: { job: ApiJobProgress }) {
  const percent = job.status === "completed" ? 100 : Math.min(100, Math.round(job.progress));
  return (
    <div>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span>
          <span data-testid="progress-percent">{percent}%</span> · {job.processedResults} of {job.targetResults} creators
        </span>
        <span className="muted">{job.processedRuns} pages</span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
