import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "./server-node-flags";

const flags = SERVER_NODE_FLAGS.join(" ");

describe("the server's V8 flags", () => {
  it("are what `npm start`, `npm run worker` and the container run with", () => {
    const scripts = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`NODE_OPTIONS="${flags}`);
    expect(scripts.worker).toContain(`NODE_OPTIONS="${flags}`);
    expect(fs.readFileSync("Dockerfile", "utf8")).toMatch(new RegExp(`^ENV .*NODE_OPTIONS="${flags}"`, "m"));
  });
});
