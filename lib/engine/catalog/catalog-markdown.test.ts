import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { catalogMarkdown } from "@/lib/engine/catalog/catalog-markdown";
import { CATALOG_FILE } from "@/lib/engine/cli/write-checks-catalog";

describe("docs/checks-catalog.md", () => {
  it("is up to date with the registry (run `npm run docs:checks` when this fails)", () => {
    const onDisk = readFileSync(CATALOG_FILE, "utf8");
    expect(onDisk === catalogMarkdown(ALL_CHECKS), "docs/checks-catalog.md is stale: run `npm run docs:checks` and commit it").toBe(true);
  });

  it("lists every check with its layer, severity, title and references", () => {
    const md = catalogMarkdown(ALL_CHECKS);
    for (const c of ALL_CHECKS) {
      const row = md.split("\n").find((l) => l.startsWith(`| [\`${c.id}\`]`));
      expect(row, c.id).toBeDefined();
      expect(row).toContain(`| ${c.severity} |`);
      expect(md).toContain(`### ${c.id}\n`);
      for (const k of c.references.kubescape ?? []) expect(row).toContain(k);
      for (const k of c.references.cis ?? []) expect(row).toContain(k);
      const section = md.slice(md.indexOf(`### ${c.id}\n`));
      expect(section).toContain(`layer ${c.layer}.`);
    }
    expect(md).toContain(`${ALL_CHECKS.length} checks across`);
  });

  it("escapes table cells", () => {
    const [first] = ALL_CHECKS;
    const md = catalogMarkdown([{ ...first!, id: "x-y", title: "a | b", references: { nsa: ["p|q"] } }]);
    expect(md).toContain("| a \\| b |");
    expect(md).toContain("p\\|q");
  });
});
