import type { JobStatus } from "@/lib/client/api";

const LABELS: Record<JobStatus, string> = {
  pending: "Queued",
  processing: "Searching",
  completed: "Completed",
  error: "Failed",
  timeout: "Timed out",
  cancelled: "Cancelled",
};

export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`status ${status}`} data-testid="job-status" data-status={status}>
      {LABELS[status]}
    </span>
  );
}
