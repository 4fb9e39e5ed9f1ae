import { describe, expect, it } from "vitest";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { renderGuide, safeHref } from "./guide-markdown";

describe("renderGuide", () => {
  it("keeps code blocks apart, with their language, in order", () => {
    const blocks = renderGuide("Intro *text*.\n\n## Fix\n\n~~~yaml\nkind: Pod\n~~~\n\nThen:\n\n```sh\nkubectl apply -f x.yaml\n```\n");
    expect(blocks.map((b) => b.type)).toEqual(["html", "code", "html", "code"]);
    expect(blocks[0]).toMatchObject({ type: "html" });
    expect((blocks[0] as { html: string }).html).toContain("<em>text</em>");
    expect((blocks[0] as { html: string }).html).toContain("<h2");
    expect(blocks[1]).toEqual({ type: "code", lang: "yaml", code: "kind: Pod" });
    expect(blocks[3]).toEqual({ type: "code", lang: "sh", code: "kubectl apply -f x.yaml" });
  });

  it("shows raw HTML as text and drops unsafe links and images", () => {
    const blocks = renderGuide('<script>alert(1)</script>\n\nA [bad](javascript:alert(1)) and a [good](https://kubernetes.io/docs/) link <img src=x onerror=alert(1)> ![pic](https://evil.example/x.png)');
    const html = blocks.map((b) => (b.type === "html" ? b.html : "")).join("");
    expect(html).not.toMatch(/<script|<img|javascript:/i);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<a href="https://kubernetes.io/docs/" rel="noopener noreferrer" target="_blank">good</a>');
    expect(html).toContain("bad");
  });

  it("accepts only http(s), mailto and in-page targets", () => {
    expect(safeHref("https://example.com/a")).toBe("https://example.com/a");
    expect(safeHref("#fix")).toBe("#fix");
    expect(safeHref("data:text/html,hi")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
  });

  it("renders every guide of the catalog with a Fix code block", () => {
    for (const check of ALL_CHECKS) {
      const blocks = renderGuide(check.guide);
      const fixAt = blocks.findIndex((b) => b.type === "html" && /<h2[^>]*>Fix<\/h2>/.test(b.html));
      expect(fixAt, `${check.id} has a Fix section`).toBeGreaterThanOrEqual(0);
      expect(blocks.slice(fixAt).some((b) => b.type === "code"), `${check.id} has code under Fix`).toBe(true);
    }
  });
});
