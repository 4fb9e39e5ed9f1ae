/** `npm run docs:checks`: regenerates docs/checks-catalog.md from the check registry. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { catalogMarkdown } from "@/lib/engine/catalog/catalog-markdown";

export const CATALOG_FILE = fileURLToPath(new URL("../../../docs/checks-catalog.md", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CATALOG_FILE, catalogMarkdown(ALL_CHECKS));
  console.log(`docs/checks-catalog.md: ${ALL_CHECKS.length} checks`);
}
