"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { currentUser, signOut } from "@/lib/client/session";

export function Header() {
  const pathname = usePathname();
  const router = useRouter();
  const [user, setUser] = useState<string | null>(null);
  useEffect(() => {
    const who = currentUser();
    setUser(who);
    if (!who && pathname !== "/signin") router.replace(`/signin?next=${encodeURIComponent(pathname)}`);
  }, [pathname, router]);
  return (
    <header className="header">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <Link href="/campaigns" className="brand">
        creatorsearch
      </Link>
      <nav aria-label="Main">
        <Link href="/campaigns">Campaigns</Link>
        <Link href="/campaigns/new">New campaign</Link>
      </nav>
      {user && (
        <div className="user">
          <span data-testid="signed-in-as" className="who" title={`Signed in as ${user}`}>
            Signed in as {user}
          </span>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              signOut();
              setUser(null);
              router.push("/signin");
            }}
          >
            Sign out
          </button>
        </div>
      )}
    </header>
  );
}
