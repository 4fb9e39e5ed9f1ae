import { test as base, expect, type Page } from "@playwright/test";
import crypto from "node:crypto";
import { waitForMail } from "./mail-catcher";
import { E2E_MAIL_DIR } from "./stack";

/** Every page must render without a single Content-Security-Policy violation. */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to (load|execute|apply)/i.test(message.text())) violations.push(message.text());
      });
      await use(violations);
      expect(violations, "CSP violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export function uniqueEmail(prefix = "e2e"): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}@example.test`;
}

/** Signs in through the real flow: the form, the mail over SMTP, the link, the confirmation. Returns the link used. */
export async function signInByEmail(page: Page, email: string, callbackUrl?: string): Promise<string> {
  const since = Date.now();
  await page.goto(callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin");
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mail = await waitForMail(E2E_MAIL_DIR, email, { since });
  const link = mail.text.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`No link in the sign-in mail: ${mail.text}`);
  await page.goto(link);
  await page.getByRole("link", { name: "Sign in" }).click();
  return link;
}
