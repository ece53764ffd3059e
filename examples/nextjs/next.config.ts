import type { NextConfig } from "next";

const config: NextConfig = {
  // Native or Node-only drivers stay plain `require`s on the server instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "postgres", "bullmq", "ioredis", "@upstash/qstash", "pngjs"],
  // E2E runs build into their own folder so a developer's `.next` is never overwritten.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The root README and CI already typecheck and lint the SDK; the app's own types are checked by `next build`.
  eslint: { ignoreDuringBuilds: true },
};

export default config;
