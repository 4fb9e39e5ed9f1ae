/**
 * The marker the agent writes in place of a value it must not send (env values, ConfigMap and
 * Secret data, credential-looking arguments). Checks read it as "a literal value was here":
 * the key or flag name is kept so they can still point at the exact field.
 */
export const REDACTED = "<redacted-by-ramparts>";

export function isRedacted(value: unknown): boolean {
  return typeof value === "string" && value.includes(REDACTED);
}
