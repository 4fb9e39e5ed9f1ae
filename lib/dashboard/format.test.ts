import { describe, expect, it } from "vitest";
import { percent, relativeTime, resourceLabel, scheduleLabel } from "./format";

describe("format", () => {
  const now = new Date("2026-11-01T12:00:00Z");
  it("says how long ago, in the largest sensible unit", () => {
    expect(relativeTime(null, now)).toBe("never");
    expect(relativeTime(new Date("2026-11-01T11:59:40Z"), now)).toBe("just now");
    expect(relativeTime(new Date("2026-11-01T11:59:00Z"), now)).toBe("1 minute ago");
    expect(relativeTime("2026-11-01T09:00:00Z", now)).toBe("3 hours ago");
    expect(relativeTime(new Date("2026-10-30T12:00:00Z"), now)).toBe("2 days ago");
    expect(relativeTime(new Date("2026-11-03T12:00:00Z"), now)).toBe("in 2 days");
  });

  it("never shows a partial coverage as 100 %", () => {
    expect(percent(0.996)).toBe("99%");
    expect(percent(1)).toBe("100%");
    expect(percent(0.5)).toBe("50%");
    expect(percent(null)).toBe("n/a");
  });

  it("names schedules and resources", () => {
    expect(scheduleLabel(360)).toBe("every 6 hours");
    expect(scheduleLabel(60)).toBe("hourly");
    expect(scheduleLabel(1440)).toBe("daily");
    expect(scheduleLabel(45)).toBe("every 45 minutes");
    expect(resourceLabel({ kind: "Deployment", namespace: "shop", name: "web" })).toBe("Deployment shop/web");
    expect(resourceLabel({ kind: "ClusterRole", namespace: null, name: "admin" })).toBe("ClusterRole admin");
  });
});
