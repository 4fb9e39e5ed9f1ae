/**
 * Which agents and snapshot schemas this server accepts. A version it no longer (or not yet)
 * accepts is answered 426 with the minimum it does accept, so the agent stops and says which
 * version to install (docs/agent-protocol.md, "Versioning").
 */
import { AppError } from "@/lib/errors";
import { SUPPORTED_SCHEMA_MAJORS } from "@/lib/snapshot/schema";

export const MINIMUM_SCHEMA_VERSION = `${Math.min(...SUPPORTED_SCHEMA_MAJORS)}.0`;
/** The oldest agent whose snapshots this server evaluates correctly. */
export const MINIMUM_AGENT_VERSION = "0.1.0";

const SCHEMA_VERSION = /^(\d{1,4})\.(\d{1,4})$/;

/** Throws 426 for a schema version of an unsupported major, 400 for one that is not major.minor. */
export function assertSupportedSchemaVersion(version: unknown, where: string): void {
  if (typeof version !== "string") return; // absent: the body's schema names the missing field
  const match = SCHEMA_VERSION.exec(version);
  if (!match) throw new AppError("validation_failed", `${where}: schema version ${JSON.stringify(version.slice(0, 32))} is not major.minor`, { field: where });
  const major = Number(match[1]);
  if (!(SUPPORTED_SCHEMA_MAJORS as readonly number[]).includes(major)) {
    throw new AppError(
      "unsupported_schema_version",
      `Snapshot schema ${version} is not supported by this server; it accepts ${SUPPORTED_SCHEMA_MAJORS.map((m) => `${m}.x`).join(", ")}. Install an agent that sends schema ${MINIMUM_SCHEMA_VERSION} or later.`,
      { minimumSchemaVersion: MINIMUM_SCHEMA_VERSION },
    );
  }
}

function parseSemver(version: string): [number, number, number] | null {
  const match = /^v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:[-+].*)?$/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

/** Throws 426 for an agent older than MINIMUM_AGENT_VERSION; an unparseable version is let through. */
export function assertSupportedAgentVersion(version: string | null): void {
  if (!version) return;
  const have = parseSemver(version);
  const need = parseSemver(MINIMUM_AGENT_VERSION)!;
  if (!have) return;
  for (let i = 0; i < 3; i++) {
    if (have[i]! > need[i]!) return;
    if (have[i]! < need[i]!) {
      throw new AppError("unsupported_schema_version", `Agent ${version.slice(0, 32)} is too old for this server; upgrade to ${MINIMUM_AGENT_VERSION} or later.`, {
        minimumAgentVersion: MINIMUM_AGENT_VERSION,
      });
    }
  }
}
