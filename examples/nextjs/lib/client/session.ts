"use client";
/** The local sign-in (devAuth): the chosen user name lives in the `cs_user` cookie the API reads. */
const COOKIE = "cs_user";

export function currentUser(): string | null {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${COOKIE}=`));
  return match ? decodeURIComponent(match.slice(COOKIE.length + 1)) : null;
}

export function signIn(user: string) {
  document.cookie = `${COOKIE}=${encodeURIComponent(user)}; path=/; SameSite=Lax; max-age=${60 * 60 * 24 * 30}`;
}

export function signOut() {
  document.cookie = `${COOKIE}=; path=/; SameSite=Lax; max-age=0`;
}

/** Same rule as devAuth: letters, digits and `_ . @ : -`, up to 128 characters. */
export const USER_NAME = /^[\w.@:-]{1,128}$/;
