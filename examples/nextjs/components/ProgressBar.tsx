import type { ApiJobProgress } from "@/lib/client/api";
import { progressView } from "@/lib/client/progress";

/** The job's progress toward its target. */
export function ProgressBar({ job }: { job: ApiJobProgress }) {
  const { percent, text } = progressView(job);
  const short = job.status === "completed" && job.processedResults < job.targetResults;
  return (
    <div>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span data-testid="progress-text">
          <span data-testid="progress-percent">{percent}%</span> · {text}
        </span>
        <span className="muted">{job.processedRuns} pages</span>
      </div>
      <div className={`progress${short ? " short" : ""}`} role="progressbar" aria-label="Search progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={text}>
        <div style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
