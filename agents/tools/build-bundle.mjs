// Bundles the agent into one ESM file for the container image (and the benchmark).
// Plain JavaScript so the Dockerfile can run it with node alone: node agents/tools/build-bundle.mjs [outfile]
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const bundleOptions = (outfile) => ({
  absWorkingDir: ROOT,
  entryPoints: ["agents/src/cli.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __rampartsCreateRequire } from 'node:module'; const require = __rampartsCreateRequire(import.meta.url);" },
  tsconfig: path.join(ROOT, "tsconfig.json"),
  legalComments: "none",
  logLevel: "warning",
});

export async function buildAgentBundle(outfile = path.join(ROOT, "agents/dist/agent.mjs")) {
  await build(bundleOptions(outfile));
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildAgentBundle(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`bundled ${out}`);
}
