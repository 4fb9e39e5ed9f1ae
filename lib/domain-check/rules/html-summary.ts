import { Parser } from "htmlparser2";
import type { HtmlSummary } from "./evidence";

/**
 * Extracts what the HTTP rules read from a page: script elements and the meta tags that act as headers.
 * Pure (no I/O); the probe calls it on the fetched body so the body itself need not be stored.
 */
export function summarizeHtml(html: string): HtmlSummary {
  const summary: HtmlSummary = { scripts: [], metaCsp: [], metaReferrer: [] };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "script") {
          summary.scripts.push({ src: attributes.src ?? null, integrity: attributes.integrity ?? null, crossorigin: attributes.crossorigin ?? null });
        } else if (name === "meta" && "content" in attributes) {
          const equiv = attributes["http-equiv"];
          if (equiv !== undefined) {
            if (equiv.trim().toLowerCase() === "content-security-policy") summary.metaCsp.push(attributes.content ?? "");
          } else if (attributes.name?.trim().toLowerCase() === "referrer") {
            summary.metaReferrer.push(attributes.content ?? "");
          }
        }
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return summary;
}
