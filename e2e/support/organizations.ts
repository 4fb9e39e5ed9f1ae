import { expect, type Page } from "@playwright/test";

/**
 * Creates an organization through /orgs/new. The form is interactive only once hydrated (it
 * suggests the slug from the name): typing earlier would be lost, so we type until the
 * suggestion shows the form is live, then set our own slug.
 */
export async function createOrganization(page: Page, name: string, slug: string): Promise<void> {
  await expect(page).toHaveURL(/\/orgs\/new$/);
  const suggested = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  await expect(async () => {
    await page.getByLabel("Organization name").fill(name);
    await expect(page.getByLabel("URL slug")).toHaveValue(suggested, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByLabel("URL slug").fill(slug);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${slug}$`));
}
