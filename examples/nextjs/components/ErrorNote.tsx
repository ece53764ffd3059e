import { friendlyMessages } from "@/lib/client/errors";

/** An error as one red note, in the form's words (a 400 lists each field it names, once). */
export function ErrorNote({ error, id }: { error: unknown; id?: string }) {
  const messages = friendlyMessages(error);
  if (messages.length === 0) return null;
  return (
    <div className="note error" role="alert" id={id} data-testid="error-note">
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
