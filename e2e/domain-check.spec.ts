/**
 * The public domain check in a real browser, against the production build.
 *
 * The fixtures (DNS server, web servers with test CAs) must look public: the public endpoint refuses loopback
 * addresses and reserved names like *.test by design, and this test does not weaken that. So it creates its own
 * network namespace (`ip netns add`, root, as on CI) with nothing but a loopback interface, gives it
 * public-looking addresses (11.0.0.N), and runs there the fixture world under a real public TLD (.security),
 * a second instance of the production build (its resolver pointed at the fixture DNS server, its trust anchors
 * at the test CA) and Chromium. Inside the namespace those names and addresses are public; no packet can
 * leave it, since it has no other interface and no route. See docs/decisions.md.
 */
import { spawnSync } from "node:child_process";
import { test as base, expect } from "./support/fixtures";
import { type DomainCheckNetns, startDomainCheckNetns } from "./support/domain-check-netns";

/** New checks the namespace's app allows one address per 10 minutes: the last test uses up the budget. */
const SCANS_PER_CLIENT = 4;

const test = base.extend<object, { netns: DomainCheckNetns }>({
  netns: [
    async ({}, provide) => {
      const netns = await startDomainCheckNetns({ chromium: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", scansPerClient: SCANS_PER_CLIENT });
      try {
        await provide(netns);
      } finally {
        await netns.stop();
      }
    },
    { scope: "worker", timeout: 150_000 },
  ],
  // The browser runs inside the namespace too (Playwright talks to it over pipes).
  browser: [
    async ({ netns, playwright, launchOptions }, provide) => {
      const browser = await playwright.chromium.launch({ ...launchOptions, executablePath: netns.chromiumPath });
      await provide(browser);
      await browser.close();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ netns }, provide) => provide(netns.appUrl),
});

test("a slow domain: the results stream in group by group with visible, announced progress", async ({ page, netns }) => {
  const polls: string[] = [];
  page.on("request", (request) => {
    if (/\/api\/public\/domain-checks\/[^/]+$/.test(new URL(request.url()).pathname)) polls.push(request.url());
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("See exactly how your domain scores on DMARC, TLS, HTTP headers and 25+ other automated security checks in under 60 seconds")).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  // silent.security's web server accepts connections and never answers: its DNS and mail checks finish at
  // once, TLS and HTTP only at their timeouts, so the progress is there to watch.
  await page.getByLabel("Domain to check").fill(netns.domains.silent);
  await page.getByRole("button", { name: "Check my domain" }).click();
  await expect(page.getByRole("heading", { name: `Checking ${netns.domains.silent}` })).toBeVisible();
  await expect(page.getByText("Email and DNS: done")).toBeVisible();
  await expect(page.getByText("HTTP: checking…")).toBeVisible();
  const progress = page.getByRole("progressbar");
  await expect(progress).toHaveAttribute("value", "1");
  await expect(page.getByTestId("progress-text")).toHaveText("1 of 4 groups checked");
  // The Email and DNS checks are readable while the others run, and the live region said so.
  await expect(page.getByRole("heading", { name: "Email and DNS" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Email and DNS finished" })).toBeAttached();

  await expect(page.getByTestId("grade")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("status").filter({ hasText: `Check of ${netns.domains.silent} finished` })).toBeAttached();
  const https = page.locator('details[data-check-id="https-available"]');
  await expect(https.getByText("Not tested")).toBeVisible();
  // Everything arrived over the event stream: the polling fallback never ran.
  expect(polls).toEqual([]);
});

test("type a fixture domain, read the grade, open a check's explanation with the keyboard", async ({ page, netns }) => {
  await page.goto("/");
  const input = page.getByLabel("Domain to check");
  await input.fill(`  ${netns.domains.good.toUpperCase()} `);
  await input.press("Enter");

  await expect(page.getByTestId("grade")).toHaveText(/^Grade A\+?$/, { timeout: 60_000 });
  await expect(page.getByTestId("grade-detail")).toContainText(`of 100 for ${netns.domains.good}.`);
  for (const group of ["Email and DNS", "TLS and certificate", "HTTP", "Other"]) {
    await expect(page.getByRole("heading", { name: group, exact: true })).toBeVisible();
  }

  const hsts = page.locator('details[data-check-id="hsts"]');
  await expect(hsts.getByText("Pass", { exact: true })).toBeVisible();
  await expect(hsts.getByText("Why it matters")).toBeHidden();
  await hsts.locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(hsts.getByText("Why it matters")).toBeVisible();
  await expect(hsts.getByText("How to fix it")).toBeVisible();
  await expect(hsts.getByText("max-age=63072000; includeSubDomains; preload", { exact: true }).first()).toBeVisible();

  await expect(page.getByRole("link", { name: "Sign up and connect a cluster" })).toHaveAttribute("href", "/signin");
  await expect(page.getByRole("link", { name: `/check/${netns.domains.good}` })).toBeVisible();
});

test("the shared result page is server-rendered and readable without JavaScript", async ({ browser, netns }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: netns.appUrl });
  const page = await context.newPage();
  // The scan of the previous test is reused, not repeated.
  await page.goto(`/check/${netns.domains.good}`);
  await expect(page.getByRole("heading", { level: 1, name: `Security check of ${netns.domains.good}` })).toBeVisible();
  await expect(page.getByTestId("grade")).toHaveText(/^Grade A\+?$/);
  const csp = page.locator('details[data-check-id="csp"]');
  await csp.locator("summary").click();
  await expect(csp.getByText("Why it matters")).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign up and connect a cluster" })).toBeVisible();

  // A non-canonical name redirects to the canonical page.
  await page.goto(`/check/${netns.domains.good.toUpperCase()}`);
  await expect(page).toHaveURL(new RegExp(`/check/${netns.domains.good.replace(".", "\\.")}$`));
  await context.close();
});

test("the landing page and the CLI give the same graded report", async ({ page, netns }) => {
  const cli = JSON.parse(
    netns.exec(
      "node_modules/.bin/tsx",
      ["scripts/check-domain.ts", netns.domains.mailFlaws, "--dns-server", netns.dnsServer, "--ca-file", netns.caFile, "--json"],
      { timeoutMs: 90_000 },
    ),
  ) as { score: { grade: string; score: number }; groups: { checks: { id: string; status: string }[] }[] };

  await page.goto("/");
  await page.getByLabel("Domain to check").fill(netns.domains.mailFlaws);
  await page.getByRole("button", { name: "Check my domain" }).click();
  await expect(page.getByTestId("grade")).toHaveText(`Grade ${cli.score.grade}`, { timeout: 60_000 });
  await expect(page.getByTestId("grade-detail")).toContainText(`${cli.score.score} of 100 for ${netns.domains.mailFlaws}.`);
  for (const check of cli.groups.flatMap((g) => g.checks)) {
    await expect(page.locator(`details[data-check-id="${check.id}"]`), check.id).toHaveCount(1);
  }
  const statuses = await page.locator("details[data-check-id]").evaluateAll((nodes) =>
    nodes.map((n) => [n.getAttribute("data-check-id"), n.querySelector("summary span")?.textContent?.trim()]),
  );
  const label: Record<string, string> = { pass: "Pass", warn: "Warning", fail: "Fail", info: "Info", "not-applicable": "Not applicable", "not-tested": "Not tested" };
  expect(statuses).toEqual(cli.groups.flatMap((g) => g.checks).map((c) => [c.id, label[c.status]]));
});

test("names the public check refuses are explained, and the scan budget ends with the wait time", async ({ page, netns }) => {
  await page.goto("/");
  const input = page.getByLabel("Domain to check");
  const button = page.getByRole("button", { name: "Check my domain" });

  await input.fill("good.test");
  await button.click();
  await expect(page.getByText("Reserved and internal names (like .test, .internal, .local) cannot be checked.")).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");

  await input.fill("2130706433");
  await button.click();
  await expect(page.getByText(/IP addresses are not accepted/)).toBeVisible();

  // Start checks until the per-address budget is spent: the refusal says how long to wait.
  const alert = page.getByRole("status").filter({ hasText: "Please wait a moment" });
  const candidates = [netns.domains.tls13Only, netns.domains.expired, netns.domains.wrongName, netns.domains.rsa1024, netns.domains.sha1];
  for (const domain of candidates) {
    await input.fill(domain);
    await button.click();
    await expect(page.getByTestId("grade-detail").filter({ hasText: `for ${domain}.` }).or(alert)).toBeVisible({ timeout: 60_000 });
    if (await alert.isVisible()) break;
  }
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(`You have started ${SCANS_PER_CLIENT} checks in the last 10 minutes`);
  await expect(alert).toContainText(/You can check again in (\d+ seconds|\d+ minutes)/);
});

test("nothing in the namespace can reach outside it", async ({ netns }) => {
  const links = netns.exec("ip", ["-o", "link", "show"]).trim().split("\n");
  expect(links).toHaveLength(1);
  expect(links[0]).toContain(" lo:");
  expect(netns.exec("ip", ["route", "show"]).trim()).toBe("");
  // A connection to any outside address fails at once: there is no route.
  const probe = spawnSync("ip", ["netns", "exec", netns.name, "node", "-e", "require('net').connect(53, '1.1.1.1').on('connect', () => process.exit(0)).on('error', (e) => { console.error(e.code); process.exit(3); })"], { encoding: "utf8", timeout: 10_000 });
  expect(probe.status).toBe(3);
  expect(probe.stderr).toContain("ENETUNREACH");
});
