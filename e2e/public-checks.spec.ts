import { test, expect } from "./support/fixtures";

test("the public check catalog lists every layer and renders a guide with copyable YAML", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Checks" }).click();
  await expect(page.getByRole("heading", { name: "The check catalog" })).toBeVisible();
  for (const layer of ["Container images", "RBAC and admission control", "Network policies and service mesh", "Secrets management", "Runtime threat detection and audit logging", "Supply chain and CI/CD"]) {
    await expect(page.getByRole("heading", { name: new RegExp(layer) })).toBeVisible();
  }
  await page.goto("/checks/privileged-container");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Why it matters" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Copy YAML/ }).first()).toBeVisible();
  const missing = await page.goto("/checks/no-such-check");
  expect(missing?.status()).toBe(404);
});
