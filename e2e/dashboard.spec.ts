/**
 * The dashboard as a new user meets it, against the production build and a real database: sign in,
 * create an organization, register a cluster, copy its token from the page, run the real agent CLI
 * (collect from the example manifests, then push over HTTP) and read the score, the layers and the
 * findings; open a remediation guide; accept a risk and watch the score follow; push the hardened
 * example and see the trend improve. Evaluation runs in the app's own job runner: the page polls.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, uniqueEmail, signInByEmail } from "./support/fixtures";
import { runAgentCli } from "./support/agent-cli";
import { createOrganization } from "./support/organizations";
import { addMembership, membershipsAvailable } from "./support/memberships";
import type { Page } from "@playwright/test";

async function score(page: Page): Promise<number> {
  const text = (await page.getByTestId("cluster-score").textContent()) ?? "";
  const value = Number(/^\d+/.exec(text.trim())?.[0]);
  if (!Number.isFinite(value)) throw new Error(`No score in "${text}"`);
  return value;
}

async function pushExample(example: string, token: string, baseURL: string, dir: string): Promise<void> {
  const file = path.join(dir, `${example}.json`);
  await runAgentCli(["collect", "--from-file", path.join("examples", example), "--output", file]);
  expect(fs.statSync(file).size).toBeGreaterThan(1000);
  await runAgentCli(["push", file, "--server", baseURL, "--token", token]);
}

test.describe("the dashboard", () => {
  test("register a cluster, push with the real agent, read and act on the findings, watch the score improve", async ({ page, context, baseURL }) => {
    test.setTimeout(300_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ramparts-e2e-agent-"));
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL! });
    const email = uniqueEmail("fleet");
    await signInByEmail(page, email);

    // A new organization: the guided empty state.
    const slug = `fleet-${email.slice(6, 14)}`;
    await createOrganization(page, "Fleet Test", slug);
    await expect(page.getByRole("heading", { name: "No clusters yet" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Install the read-only agent" })).toBeVisible();

    // Register: a bad name is explained in place; then the token, shown once, with the install commands.
    await page.getByRole("link", { name: "Register your first cluster" }).click();
    await page.getByLabel("Cluster name").fill("Prod EU");
    await page.getByRole("button", { name: "Register cluster" }).click();
    await expect(page.getByText("Use lowercase letters, digits, dots and hyphens, like prod-eu-1")).toBeVisible();
    await page.getByLabel("Cluster name").fill("prod-eu-1");
    await page.getByLabel("Snapshot schedule").selectOption({ label: "Every hour" });
    await page.getByRole("button", { name: "Register cluster" }).click();
    await expect(page.getByText("Copy the token now: you will not see it again")).toBeVisible();
    await expect(page.getByText(/helm install ramparts-agent \.\/agents\/chart -n ramparts --set server\.url=http:\/\/localhost:\d+ --set intervalHours=1/)).toBeVisible();
    await expect(page.getByText("kubectl apply -f agents/deploy/ramparts-agent.yaml")).toBeVisible();
    await page.getByRole("button", { name: "Copy token" }).click();
    await expect(page.getByText("Copied", { exact: true })).toBeVisible();
    const token = await page.evaluate(() => navigator.clipboard.readText());
    expect(token).toMatch(/^rpa_[A-Za-z0-9_-]{43}$/);
    expect(token).toBe(await page.getByLabel("Agent token").inputValue());
    await page.getByRole("link", { name: /go to the cluster/ }).click();
    await expect(page.getByRole("heading", { name: "prod-eu-1", level: 1 })).toBeVisible();
    await expect(page.getByText("Waiting for the first snapshot")).toBeVisible();
    const clusterUrl = page.url().replace(/[?#].*$/, "");

    // The real agent: collect the insecure example, push it; the open page updates by itself.
    await pushExample("insecure-cluster", token, baseURL!, tmp);
    await expect(page.getByTestId("cluster-score")).toBeVisible({ timeout: 90_000 });
    const firstScore = await score(page);
    expect(firstScore).toBeLessThan(40);
    await expect(page.getByRole("img", { name: "Grade F" }).first()).toBeVisible();
    await expect(page.getByTestId("cluster-coverage")).toHaveText(/\d+%/);
    for (const layer of ["Container images", "RBAC and admission control", "Network policies and service mesh", "Secrets management", "Runtime threat detection and audit logging", "Supply chain and CI/CD"]) {
      await expect(page.getByRole("heading", { name: new RegExp(layer) })).toBeVisible();
    }
    await expect(page.getByText("What pulls it down").first()).toBeVisible();
    await expect(page.getByText("This is the first snapshot: the next one will be compared with it.")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: /^\d[\d,]* findings$/ })).toBeVisible();

    // Filters live in the URL: one check, then the exact resource, container and field.
    await page.getByLabel("Check", { exact: true }).selectOption("privileged-container");
    await expect(page).toHaveURL(/check=privileged-container/);
    await expect(page.getByRole("status").filter({ hasText: /^2 findings match these filters$/ })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "ci-runner" });
    await expect(row.getByText("spec.template.spec.containers[1].securityContext.privileged")).toBeVisible();
    await expect(row.getByText("container dind")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Check", { exact: true })).toHaveValue("privileged-container");
    await expect(page.getByRole("row").filter({ hasText: "debug-toolbox" })).toBeVisible();

    // The resource view: every finding of the workload, with its field paths.
    await row.getByRole("link", { name: "Deployment ci/ci-runner" }).click();
    await expect(page.getByRole("heading", { name: "Deployment ci/ci-runner", level: 1 })).toBeVisible();
    // The same field fails two checks here: privileged-container, and ci-runner-isolation (a CI runner's DinD sidecar).
    for (const checkId of ["privileged-container", "ci-runner-isolation"]) {
      await expect(page.getByRole("row").filter({ hasText: checkId }).getByText("spec.template.spec.containers[1].securityContext.privileged")).toBeVisible();
    }
    await page.goBack();

    // The remediation guide, with copyable YAML and every affected resource.
    await page.getByRole("row").filter({ hasText: "ci-runner" }).getByRole("link", { name: "No privileged containers", exact: true }).click();
    await expect(page.getByRole("heading", { name: "No privileged containers", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Fix", level: 2 })).toBeVisible();
    const firstYaml = page.getByRole("figure").filter({ has: page.getByRole("button", { name: "Copy YAML" }) }).first();
    await firstYaml.getByRole("button", { name: "Copy YAML" }).click();
    const copiedYaml = await page.evaluate(() => navigator.clipboard.readText());
    expect(copiedYaml.trim()).toBe(((await firstYaml.locator("pre").textContent()) ?? "").trim());
    expect(copiedYaml.length).toBeGreaterThan(20);
    await expect(page.getByRole("heading", { name: "References" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "ci-runner" })).toBeVisible();
    await expect(page.getByRole("link", { name: "prod-eu-1" })).toBeVisible();

    // A phone: the findings table turns into stacked cards (no column headers, labelled cells).
    await page.goto(clusterUrl);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByRole("columnheader", { name: "Where and why" })).toBeHidden();
    // Each cell names its column above its content (CSS generated content, so read the computed style).
    const cellLabel = () => page.locator('#findings td[data-label="Details"]').first().evaluate((cell) => {
      const before = getComputedStyle(cell, "::before");
      return before.display === "none" ? null : before.content;
    });
    await expect.poll(cellLabel).toBe('"Details"');
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(cellLabel).toBeNull();

    // Accept a risk from a finding: the score follows once the app re-evaluated.
    await page.goto(`${clusterUrl}?check=privileged-container`);
    await page.getByRole("row").filter({ hasText: "ci-runner" }).getByRole("link", { name: /Add an exception/ }).click();
    await expect(page.getByRole("heading", { name: "Add an exception" })).toBeVisible();
    await expect(page.getByLabel("Name pattern")).toHaveValue("ci-runner");
    await page.getByLabel("Every resource", { exact: true }).check();
    await page.getByRole("button", { name: "Add exception" }).click();
    await expect(page.getByText("Say why this risk is accepted")).toBeVisible();
    await page.getByLabel("Reason").fill("Privileged CI and debug pods are isolated on a dedicated node pool, reviewed quarterly.");
    await page.getByRole("button", { name: "Add exception" }).click();
    await expect(page).toHaveURL((url) => url.href.startsWith(`${clusterUrl}?updating=`));
    await expect.poll(() => score(page), { timeout: 90_000, message: "the score rises once the exception is applied" }).toBeGreaterThan(firstScore);
    const exceptedScore = await score(page);
    await page.goto(`${clusterUrl}?check=privileged-container&status=EXCEPTED`);
    await expect(page.getByRole("status").filter({ hasText: /^2 findings match these filters$/ })).toBeVisible();

    await page.goto(`/o/${slug}/exceptions`);
    const exceptionRow = page.getByRole("row").filter({ hasText: "No privileged containers" });
    await expect(exceptionRow.getByText("Active")).toBeVisible();
    await expect(exceptionRow.getByText("2 findings excepted now")).toBeVisible();
    await expect(exceptionRow.getByRole("button", { name: /Revoke/ })).toBeVisible();

    // Exports of the latest findings.
    await page.goto(clusterUrl);
    const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("privileged-container");
    const sarif = await page.request.get((await page.getByRole("link", { name: "SARIF" }).getAttribute("href"))!);
    expect((await sarif.json()).version).toBe("2.1.0");

    // The hardened example as the next snapshot: the score and the trend improve, and the diff shows it.
    await pushExample("hardened-cluster", token, baseURL!, tmp);
    await expect.poll(() => score(page), { timeout: 90_000, message: "the hardened snapshot scores high" }).toBeGreaterThanOrEqual(90);
    await expect(page.getByText(/▲ \+\d+ since the previous snapshot/)).toBeVisible();
    await expect(page.getByText(new RegExp(`Score went from ${exceptedScore} to \\d+ over 2 snapshots \\(improving\\)`))).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Resolved \(\d+\)$/ })).toBeVisible();

    // The fleet overview: the cluster with its grade, layer bars and trend.
    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Clusters" }).click();
    const fleetRow = page.getByRole("row").filter({ hasText: "prod-eu-1" });
    await expect(fleetRow.getByRole("list", { name: "Layer scores" })).toBeVisible();
    await expect(fleetRow.getByRole("img", { name: /^Grade A/ })).toBeVisible();
    await expect(fleetRow.getByRole("img", { name: /^Score trend|^Score \d+, one day/ })).toBeVisible();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("a viewer reads everything but gets no controls, and the server refuses the actions anyway", async ({ page, browser, baseURL }) => {
    test.skip(!membershipsAvailable(), "adding a member needs the PostgreSQL test database (TEST_DATABASE_URL)");
    test.setTimeout(180_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ramparts-e2e-agent-"));
    const owner = uniqueEmail("owner");
    await signInByEmail(page, owner);
    const slug = `roles-${owner.slice(6, 14)}`;
    await createOrganization(page, "Roles Test", slug);
    await page.getByRole("link", { name: "Register your first cluster" }).click();
    await page.getByLabel("Cluster name").fill("staging-1");
    await page.getByRole("button", { name: "Register cluster" }).click();
    const token = await page.getByLabel("Agent token").inputValue();
    await page.getByRole("link", { name: /go to the cluster/ }).click();
    await expect(page.getByText("Waiting for the first snapshot")).toBeVisible();
    const clusterUrl = page.url().replace(/[?#].*$/, "");
    await pushExample("insecure-cluster", token, baseURL!, tmp);
    await expect(page.getByTestId("cluster-score")).toBeVisible({ timeout: 90_000 });
    const addLink = page.getByRole("link", { name: /Add an exception/ }).first();
    const findingHref = (await addLink.getAttribute("href"))!;

    const viewerContext = await browser.newContext();
    const viewerPage = await viewerContext.newPage();
    const viewer = uniqueEmail("viewer");
    await signInByEmail(viewerPage, viewer);
    await expect(viewerPage).toHaveURL(/\/orgs\/new$/);
    await addMembership(viewer, slug, "VIEWER");

    await viewerPage.goto(`/o/${slug}`);
    await expect(viewerPage.getByRole("row").filter({ hasText: "staging-1" })).toBeVisible();
    await expect(viewerPage.getByRole("link", { name: "Register a cluster" })).toHaveCount(0);
    await viewerPage.goto(clusterUrl);
    await expect(viewerPage.getByTestId("cluster-score")).toBeVisible();
    await expect(viewerPage.getByRole("row").filter({ hasText: "ci-runner" }).first()).toBeVisible();
    await expect(viewerPage.getByRole("link", { name: /Add an exception/ })).toHaveCount(0);
    await expect(viewerPage.getByRole("link", { name: "CSV" })).toHaveCount(0);
    await viewerPage.goto(`${clusterUrl}/settings`);
    await expect(viewerPage.getByRole("heading", { name: "Agent tokens" })).toBeVisible();
    await expect(viewerPage.getByRole("button", { name: /Rotate/ })).toHaveCount(0);
    await expect(viewerPage.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    await viewerPage.goto(findingHref);
    await expect(viewerPage.getByRole("heading", { name: "Not available for your role" })).toBeVisible();

    // The server refuses whatever the page shows.
    const refused = await viewerPage.request.post(`/api/orgs/${slug}/exceptions`, {
      headers: { origin: baseURL! },
      data: { checkId: "privileged-container", reason: "viewer trying" },
    });
    expect(refused.status()).toBe(403);
    const exported = await viewerPage.request.get(`/api/orgs/${slug}/clusters/${clusterUrl.split("/").pop()}/findings/export?format=csv`);
    expect(exported.status()).toBe(403);
    await viewerContext.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
