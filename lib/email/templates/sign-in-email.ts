import type { OutgoingMail } from "../outgoing-mail";
import { escapeHtml } from "./escape-html";

export function signInEmail(options: { to: string; url: string; host: string; expiresMinutes: number }): OutgoingMail {
  const { to, url, host, expiresMinutes } = options;
  return {
    to,
    subject: `Sign in to Ramparts (${host})`,
    text: `Sign in to Ramparts\n\n${url}\n\nThe link works once and expires in ${expiresMinutes} minutes. If you did not ask for it, ignore this message.\n`,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a">
<h1 style="font-size:20px">Sign in to Ramparts</h1>
<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;border-radius:6px;text-decoration:none">Sign in</a></p>
<p style="color:#475569">The link works once and expires in ${expiresMinutes} minutes. If you did not ask for it, ignore this message.</p>
</body></html>`,
  };
}
