"use client";
import { useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { USER_NAME, signIn } from "@/lib/client/session";

function SignInForm() {
  const next = useSearchParams().get("next");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const go = (user: string) => {
    if (!USER_NAME.test(user)) {
      setError("Use 1 to 128 letters, digits or _ . @ : -");
      return;
    }
    signIn(user);
    // A full navigation, so the header reads the new cookie.
    window.location.assign(next?.startsWith("/") && !next.startsWith("//") ? next : "/campaigns");
  };
  return (
    <div className="panel stack" style={{ maxWidth: 460 }}>
      <h1>Sign in</h1>
      <p className="muted">
        Local sign-in for the demo (the SDK&apos;s <code>devAuth()</code>): pick any user name. Each user sees only their own campaigns. Set{" "}
        <code>SUPABASE_JWT_SECRET</code> to use real accounts instead.
      </p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          go(name.trim());
        }}
      >
        <label>
          User name
          <input type="text" name="user" value={name} onChange={(e) => setName(e.target.value)} placeholder="alice" autoFocus />
        </label>
        {error && <div className="note error">{error}</div>}
        <div className="row">
          <button type="submit">Sign in</button>
          <span className="muted">or</span>
          {["alice", "bob"].map((u) => (
            <button key={u} type="button" className="secondary" onClick={() => go(u)}>
              {u}
            </button>
          ))}
        </div>
      </form>
    </div>
  );
}

export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}
