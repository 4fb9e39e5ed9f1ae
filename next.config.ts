import type { NextConfig } from "next";
import path from "node:path";

const root = path.dirname(new URL(import.meta.url).pathname);

const nextConfig: NextConfig = {
  // A lockfile in a parent folder must not be mistaken for the workspace root.
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  reactStrictMode: true,
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "graphile-worker", "@kubernetes/client-node", "nodemailer"],
};

export default nextConfig;
