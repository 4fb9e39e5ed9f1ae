import { describe, expect, it } from "vitest";
import { applyFleetQuery, fleetQueryString, readFleetQuery } from "./fleet-query";

const at = (iso: string) => new Date(iso);
const fleet = [
  { name: "prod-eu-1", environment: "production", health: "ok" as const, lastSeenAt: at("2026-11-01T10:00:00Z"), latest: { score: 91, grade: "A-" } },
  { name: "staging-us-1", environment: "staging", health: "stale" as const, lastSeenAt: at("2026-10-20T10:00:00Z"), latest: { score: 34, grade: "F" } },
  { name: "new-one", environment: "production", health: "waiting" as const, lastSeenAt: null, latest: null },
  { name: "prod-us-1", environment: "production", health: "ok" as const, lastSeenAt: at("2026-11-01T11:00:00Z"), latest: { score: 72, grade: "C" } },
];

describe("fleet query", () => {
  it("sorts worst first by default, clusters without a score last", () => {
    expect(applyFleetQuery(fleet, readFleetQuery({})).map((c) => c.name)).toEqual(["staging-us-1", "prod-us-1", "prod-eu-1", "new-one"]);
    expect(applyFleetQuery(fleet, readFleetQuery({ sort: "-score" })).map((c) => c.name)).toEqual(["prod-eu-1", "prod-us-1", "staging-us-1", "new-one"]);
    expect(applyFleetQuery(fleet, readFleetQuery({ sort: "last-seen" })).map((c) => c.name)).toEqual(["prod-us-1", "prod-eu-1", "staging-us-1", "new-one"]);
  });

  it("filters by environment, health, grade letter and text", () => {
    expect(applyFleetQuery(fleet, readFleetQuery({ env: "production", sort: "name" })).map((c) => c.name)).toEqual(["new-one", "prod-eu-1", "prod-us-1"]);
    expect(applyFleetQuery(fleet, readFleetQuery({ health: "stale" })).map((c) => c.name)).toEqual(["staging-us-1"]);
    expect(applyFleetQuery(fleet, readFleetQuery({ grade: "a" })).map((c) => c.name)).toEqual(["prod-eu-1"]);
    expect(applyFleetQuery(fleet, readFleetQuery({ q: "US" })).map((c) => c.name)).toEqual(["staging-us-1", "prod-us-1"]);
  });

  it("ignores unknown values and writes back only what differs from the default", () => {
    const query = readFleetQuery(new URLSearchParams("sort=random&health=sick&grade=Z&env=staging"));
    expect(query).toEqual({ sort: "score", env: "staging" });
    expect(fleetQueryString(query)).toBe("env=staging");
  });
});
