/**
 * Recognising credentials in free text and in command lines. Used on every string the agent
 * sends, as a net under the field rules in redact-object.ts.
 */
import { REDACTED } from "@/lib/snapshot/redaction";

/** A name that says its value is a credential (flag, env var, key). */
const SENSITIVE_NAME = /(pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|client[-_]?key|credential|bearer|session[-_]?key|signing[-_]?key|auth[-_]?key|dsn|connection[-_]?string|conn[-_]?str)/i;

/** Values under a sensitive name that are still safe to keep: file paths of credential files and booleans. */
function isSafeValueForSensitiveName(name: string, value: string): boolean {
  if (/^(true|false)$/i.test(value)) return true;
  return /(file|path|dir|config)$/i.test(name) && /^\/?[\w.\/-]+$/.test(value) && value.includes("/");
}

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@\/]*):([^\s@\/]+)@/gi;
// `name=value`, `name: value` (YAML/headers) and `"name":"value"` (JSON); not `name:value`, which
// is how images and host:port look.
const KEY_VALUE = /((?:^|[\s;&,?"'{(\[])[-\w.]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|client[-_]?key|credential|bearer|session[-_]?key|signing[-_]?key)[-\w.]*(?:\s*=\s*|["']\s*:\s*|\s*:\s+))("[^"]*"|'[^']*'|[^\s&;,"'})\]]+)/gi;
// A credential after an auth scheme has a digit; "Basic authentication" is prose.
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+(?=[A-Za-z0-9._~+\/=-]*\d)[A-Za-z0-9._~+\/=-]{8,}/g;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const KNOWN_TOKEN = /\b(AKIA|ASIA)[0-9A-Z]{16}\b|\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b|\bgithub_pat_[A-Za-z0-9_]{20,}\b|\bglpat-[A-Za-z0-9_-]{16,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}\b|\bsk_(live|test)_[A-Za-z0-9]{10,}\b|\bAIza[0-9A-Za-z_-]{30,}\b|\brpa_[A-Za-z0-9_-]{20,}/g;

/** Masks credential-looking parts of a text, keeping the names around them. */
export function maskCredentialsInText(text: string): string {
  if (text.length < 6) return text;
  let out = text.replace(PEM_PRIVATE_KEY, REDACTED);
  out = out.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(JWT, REDACTED);
  out = out.replace(KNOWN_TOKEN, REDACTED);
  out = out.replace(KEY_VALUE, (match, prefix: string, value: string) => {
    const bare = value.replace(/^["']|["']$/g, "");
    if (bare === REDACTED || bare.includes(REDACTED)) return match;
    const name = prefix.replace(/["'\s=:]+$/g, "").replace(/^[\s;&,?"'{(\[]+/, "");
    if (isSafeValueForSensitiveName(name, bare)) return match;
    const quote = /^["']/.test(value) ? value[0] : "";
    return `${prefix}${quote}${REDACTED}${quote}`;
  });
  return out;
}

/**
 * Redacts a container command or args list. `--password=x` and `--token x` keep the flag and lose
 * the value (flag names such as --encryption-provider-config stay readable for the checks).
 */
export function redactArgs(args: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  let maskNext = false;
  let pendingName = "";
  for (const arg of args) {
    if (typeof arg !== "string") {
      out.push(arg);
      maskNext = false;
      continue;
    }
    if (maskNext) {
      maskNext = false;
      if (!arg.startsWith("-")) {
        out.push(isSafeValueForSensitiveName(pendingName, arg) ? arg : REDACTED);
        continue;
      }
    }
    const flag = /^(--?[A-Za-z0-9][\w.-]*)(=([\s\S]*))?$/.exec(arg);
    if (flag) {
      const name = flag[1] ?? "";
      const value = flag[3];
      if (isSensitiveName(name)) {
        if (value === undefined) {
          maskNext = true;
          pendingName = name;
          out.push(arg);
        } else {
          out.push(isSafeValueForSensitiveName(name, value) ? arg : `${name}=${REDACTED}`);
        }
        continue;
      }
      out.push(value === undefined ? arg : `${name}=${maskCredentialsInText(value)}`);
      continue;
    }
    out.push(maskCredentialsInText(arg));
  }
  return out;
}
