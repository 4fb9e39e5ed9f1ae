import { test, expect, uniqueEmail, signInByEmail } from "./support/fixtures";

test.describe("sign-in, organization and sign-out", () => {
  test("a new user signs in by email, creates an organization, lands on its empty dashboard and signs out", async ({ page }) => {
    const email = uniqueEmail("newcomer");

    // A malformed address is refused in place, nothing is sent.
    await page.goto("/signin");
    await page.getByLabel("Work email").fill("not-an-email");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByText("Enter a valid email address")).toBeVisible();

    const link = await signInByEmail(page, email);

    // First sign-in: no organization yet.
    await expect(page).toHaveURL(/\/orgs\/new$/);
    const suffix = email.slice(9, 17);
    await page.getByLabel("Organization name").fill(`Platform ${suffix}`);
    await expect(page.getByLabel("URL slug")).toHaveValue(`platform-${suffix}`);
    await page.getByRole("button", { name: "Create organization" }).click();

    await expect(page).toHaveURL(new RegExp(`/o/platform-${suffix}$`));
    await expect(page.getByRole("heading", { name: `Platform ${suffix}` })).toBeVisible();
    await expect(page.getByText("No clusters yet")).toBeVisible();
    await expect(page.getByLabel("Switch organization")).toHaveValue(`platform-${suffix}`);

    // The session cookie is HttpOnly and SameSite=Lax.
    const cookie = (await page.context().cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto(`/o/platform-${suffix}`);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);

    // The link worked once; a second use is refused with an explanation.
    await page.goto(link);
    await page.getByRole("link", { name: "Sign in" }).click();
    await expect(page.getByText("This sign-in link has expired or was already used")).toBeVisible();
  });

  test("a taken or malformed slug is explained and creates nothing", async ({ page }) => {
    const first = uniqueEmail("first");
    await signInByEmail(page, first);
    const slug = `taken-${first.slice(6, 14)}`;
    await page.getByLabel("Organization name").fill("Taken Org");
    await page.getByLabel("URL slug").fill(slug);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/${slug}$`));

    await page.goto("/orgs/new");
    await page.getByLabel("Organization name").fill("Second Org");
    await page.getByLabel("URL slug").fill(slug);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page.getByText("This slug is already taken")).toBeVisible();

    await page.getByLabel("URL slug").fill("Not A Slug!");
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page.getByText(/lowercase letters, digits and single hyphens/)).toBeVisible();

    // A second organization, then the switcher takes us back to the first.
    await page.getByLabel("URL slug").fill(`${slug}-2`);
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/${slug}-2$`));
    await page.getByLabel("Switch organization").selectOption({ label: "Taken Org" });
    await expect(page).toHaveURL(new RegExp(`/o/${slug}$`));
    await expect(page.getByRole("heading", { name: "Taken Org" })).toBeVisible();
  });

  test("a forged session cookie is no session, and pages carry the security headers", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "next-auth.session-token", value: "forged-token-value", url: baseURL! }]);
    const response = await page.goto("/app");
    await expect(page).toHaveURL(/\/signin/);
    const headers = response!.headers();
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["strict-transport-security"]).toContain("max-age=");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
  });
});
