/**
 * A check's remediation guide (our own Markdown from the catalog) as blocks the page renders:
 * prose as HTML, and every fenced code block apart so the page can give it a copy button.
 * Rendered safely anyway: raw HTML in the Markdown is shown as text, and links keep only
 * http(s), mailto and in-page targets.
 */
import { Marked, type Token, type Tokens } from "marked";

export type GuideBlock = { type: "html"; html: string } | { type: "code"; lang: string; code: string };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  if (trimmed.startsWith("#")) return trimmed;
  try {
    const url = new URL(trimmed);
    return url.protocol === "https:" || url.protocol === "http:" || url.protocol === "mailto:" ? url.toString() : null;
  } catch {
    return null;
  }
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }) {
      const label = this.parser.parseInline(tokens);
      const target = safeHref(href);
      if (!target) return label;
      const external = !target.startsWith("#");
      return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ""}${external ? ' rel="noopener noreferrer" target="_blank"' : ""}>${label}</a>`;
    },
    image({ text }) {
      // No remote images on our pages (CSP allows only our own): the alt text stands in.
      return escapeHtml(text);
    },
  },
});

/** Splits the guide into prose and code blocks, in order. */
export function renderGuide(markdown: string): GuideBlock[] {
  const tokens = marked.lexer(markdown.trim());
  const blocks: GuideBlock[] = [];
  let prose: Token[] = [];
  const flush = () => {
    if (prose.length === 0) return;
    const list = Object.assign(prose, { links: tokens.links }) as unknown as Parameters<typeof marked.parser>[0];
    const html = marked.parser(list);
    if (html.trim()) blocks.push({ type: "html", html });
    prose = [];
  };
  for (const token of tokens) {
    if (token.type === "code") {
      flush();
      const code = token as Tokens.Code;
      blocks.push({ type: "code", lang: (code.lang ?? "").trim().split(/\s+/)[0] ?? "", code: code.text });
    } else {
      prose.push(token);
    }
  }
  flush();
  return blocks;
}
