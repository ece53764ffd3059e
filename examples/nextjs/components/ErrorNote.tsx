import { ApiError } from "@/lib/client/api";

/** An error as a red note; field-level reasons of a 400 are listed. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div className="note error" role="alert">
      {message}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.field}:${issue.reason}`}>
              {issue.field}: {issue.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
