/**
 * Does a name (environment variable, ConfigMap key) say its value is a credential?
 * Shared by the hardcoded-env-secret and configmap-sensitive-keys checks.
 *
 * The agent never sends env values or ConfigMap data (lib/snapshot/redaction.ts): names survive,
 * values become a marker. So the name alone must carry the decision, and it is read strictly:
 * the LAST word of the name must be a credential word (DB_PASSWORD, GITHUB_TOKEN, STRIPE_SECRET_KEY),
 * never a word that merely mentions one (PASSWORD_MIN_LENGTH, TOKEN_TTL, ENABLE_TOKEN_AUTH,
 * SECRET_NAME, VAULT_TOKEN_PATH), so that a live snapshot raises no false alarm on settings.
 */
import { REDACTED, isRedacted } from "@/lib/snapshot/redaction";

/** A final word that is a credential by itself. */
const CREDENTIAL_WORDS = new Set([
  "password", "passwd", "pwd", "pass", "passphrase", "secret", "secrets", "token", "tokens",
  "credential", "credentials", "creds", "apikey", "htpasswd", "pgpass", "dockercfg", "dockerconfigjson",
]);

/** Joined words (no separator) ending in one of these are credentials too: dbpassword, apitoken, clientsecret. */
const CREDENTIAL_SUFFIXES = ["password", "passwd", "passphrase", "secret", "token", "apikey", "secretkey", "privatekey", "accesskey", "credentials"];

/** "<qualifier> key" is a credential (API_KEY, AWS_SECRET_ACCESS_KEY, ENCRYPTION_KEY); CACHE_KEY or PARTITION_KEY are not. */
const KEY_QUALIFIERS = new Set([
  "api", "access", "secret", "private", "signing", "sign", "encryption", "encrypt", "crypt", "cipher", "master", "client", "auth",
  "session", "hmac", "ssh", "tls", "ssl", "jwt", "account", "storage", "shared", "admin", "app", "license", "webhook", "subscription",
]);

/** Words that make the name a switch about a credential, not a credential: ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD. */
const SWITCH_WORDS = new Set(["allow", "empty", "random", "enable", "enabled", "disable", "disabled", "use", "require", "required", "skip", "generate", "no", "without", "rotate"]);

/** Names that hold a path by convention, whatever their last word. */
const PATH_NAMES = new Set(["google_application_credentials"]);

/** File extensions on ConfigMap keys: "credentials.json" is judged as "credentials". */
const FILE_EXTENSIONS = new Set(["yaml", "yml", "json", "properties", "conf", "cfg", "ini", "toml", "txt", "env", "xml"]);

/** Key files whose name says they hold a private key: id_rsa, tls.key, server.key, key.pem, tls-key.pem, cosign.key. */
const PRIVATE_KEY_FILE = /^(id_(rsa|dsa|ecdsa|ed25519)|(tls|ssl|server|client|private|ca|signing|jwt|sa|service-account|apiserver|etcd|webhook|cosign|admin)\.key|([\w-]*[-_.])?(private[-_.]?)?key\.pem)$/i;

/** Splits SNAKE_CASE, kebab-case, dotted.keys and camelCase into lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => w.toLowerCase());
}

/** True when the name of an environment variable or a ConfigMap key says its value is a credential. */
export function isSensitiveName(name: string): boolean {
  if (PATH_NAMES.has(name.toLowerCase())) return false;
  if (PRIVATE_KEY_FILE.test(name)) return true;
  const words = nameWords(name);
  // "credentials.json": drop a file extension written after a dot.
  if (words.length > 1 && FILE_EXTENSIONS.has(words[words.length - 1]!) && new RegExp(`\\.${words[words.length - 1]}$`, "i").test(name)) words.pop();
  const last = words[words.length - 1];
  if (last === undefined) return false;
  const prev = words[words.length - 2];
  // Snapshots redact every env value, so a boolean switch would look like a literal credential.
  if (words.slice(0, -1).some((w) => SWITCH_WORDS.has(w))) return false;
  if (CREDENTIAL_WORDS.has(last)) return true;
  if (last === "key") return prev !== undefined && KEY_QUALIFIERS.has(prev);
  if (last === "string") return prev === "connection";
  if (last === "base") return prev === "key" && words[words.length - 3] === "secret"; // Rails SECRET_KEY_BASE
  return CREDENTIAL_SUFFIXES.some((s) => last.length > s.length && last.endsWith(s));
}

/**
 * Whether a literal value can hold a credential. Values the agent redacted count (a value was
 * there); in manifests the value is visible and empty strings, booleans, file paths and pure
 * `$(VAR)` references are not credentials.
 */
export function isCredentialValue(value: unknown): boolean {
  if (typeof value !== "string") return false;
  if (isRedacted(value)) return true;
  const v = value.trim();
  if (v === "") return false;
  if (/^(true|false|yes|no|on|off)$/i.test(v)) return false;
  if (/^\/[\w.\/-]*$/.test(v)) return false;
  if (/^(\$\([A-Za-z_][A-Za-z0-9_]*\))+$/.test(v)) return false;
  return true;
}

/** Credential shapes recognizable in a visible value whatever its name (manifests only: the agent redacts values). */
const VALUE_SHAPES: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, "a PEM private key"],
  [/[a-z][a-z0-9+.-]*:\/\/[^\s:@\/]+:[^\s@\/]+@/i, "a URL with a password"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b|\bgithub_pat_[A-Za-z0-9_]{20,}\b/, "a GitHub token"],
  [/\bglpat-[A-Za-z0-9_-]{16,}\b/, "a GitLab token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, "a Slack token"],
  [/\bsk_live_[A-Za-z0-9]{10,}\b/, "a Stripe live key"],
  [/\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/, "a JWT"],
];

/** Describes the credential a visible value holds ("a PEM private key"), or undefined. Never returns the value. */
export function credentialShapeOf(value: unknown): string | undefined {
  if (typeof value !== "string" || value.includes(REDACTED)) return undefined;
  for (const [re, what] of VALUE_SHAPES) if (re.test(value)) return what;
  return undefined;
}
