import type { NextConfig } from "next";
import path from "node:path";
import { staticSecurityHeaders } from "./lib/security/security-headers";

const root = path.dirname(new URL(import.meta.url).pathname);
// HSTS is ignored by browsers on plain-HTTP responses, so it is safe to send everywhere.

const nextConfig: NextConfig = {
  // A lockfile in a parent folder must not be mistaken for the workspace root.
  turbopack: { root },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  // `npm run typecheck` checks the whole project once; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Loaded from node_modules at run time: WebAssembly and native-ish packages.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "graphile-worker", "@kubernetes/client-node", "nodemailer"],
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders({ hsts: true }) }];
  },
};

export default nextConfig;
