import { describe, expect, it } from "vitest";
import { credentialShapeOf, isCredentialValue, isSensitiveName, nameWords } from "@/lib/engine/checks/helpers/sensitive-names";
import { REDACTED } from "@/lib/snapshot/redaction";

describe("nameWords", () => {
  it("splits snake, kebab, dotted and camel case", () => {
    expect(nameWords("AWS_SECRET_ACCESS_KEY")).toEqual(["aws", "secret", "access", "key"]);
    expect(nameWords("spring.datasource.password")).toEqual(["spring", "datasource", "password"]);
    expect(nameWords("stripeSecretKey")).toEqual(["stripe", "secret", "key"]);
    expect(nameWords("HTTPProxyURL")).toEqual(["http", "proxy", "url"]);
  });
});

describe("isSensitiveName", () => {
  it.each([
    "DB_PASSWORD", "POSTGRES_PASSWORD", "PGPASSWORD", "DB_PASS", "GITHUB_TOKEN", "API_KEY", "apiKey", "STRIPE_SECRET_KEY",
    "AWS_SECRET_ACCESS_KEY", "JWT_SECRET", "NEXTAUTH_SECRET", "OAUTH_CLIENT_SECRET", "ENCRYPTION_KEY", "APP_KEY", "SECRET_KEY_BASE",
    "AZURE_STORAGE_KEY", "DATABASE_CONNECTION_STRING", "credentials.json", "spring.datasource.password", "tls.key", "id_rsa",
    "key.pem", "server.key", ".dockerconfigjson", "htpasswd", "SLACK_WEBHOOK_SECRET", "dbPassword", "authtoken",
  ])("flags %s", (name) => {
    expect(isSensitiveName(name)).toBe(true);
  });

  it.each([
    "PASSWORD_MIN_LENGTH", "TOKEN_TTL", "ENABLE_TOKEN_AUTH", "SECRET_NAME", "VAULT_TOKEN_PATH", "DB_PASSWORD_FILE", "TOKEN_AUDIENCE",
    "CSRF_TOKEN_HEADER", "AWS_ACCESS_KEY_ID", "CACHE_KEY", "PARTITION_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "PASSWORD_RESET_URL",
    "ca.crt", "tls.crt", "password-policy.yaml", "LOG_LEVEL", "BYPASS_CACHE", "cache.key", "PASSWORD_HASH", "KEYCLOAK_URL",
    "ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "REDIS_REQUIRE_PASSWORD", "USE_SECRET", "allow-empty-password",
  ])("does not flag %s", (name) => {
    expect(isSensitiveName(name)).toBe(false);
  });
});

describe("isCredentialValue", () => {
  it("counts redacted values and real literals", () => {
    expect(isCredentialValue(REDACTED)).toBe(true);
    expect(isCredentialValue("hunter2")).toBe(true);
    expect(isCredentialValue("123456")).toBe(true);
  });
  it("ignores empty values, booleans, file paths and $(VAR) references", () => {
    for (const v of ["", "  ", "true", "False", "/run/secrets/db/password", "$(DB_PASSWORD)", undefined, 42]) expect(isCredentialValue(v)).toBe(false);
  });
});

describe("credentialShapeOf", () => {
  it("recognizes credential shapes without returning the value", () => {
    expect(credentialShapeOf("postgres://app:hunter2@db:5432/app")).toBe("a URL with a password");
    expect(credentialShapeOf("-----BEGIN RSA PRIVATE KEY-----\nabc")).toBe("a PEM private key");
    expect(credentialShapeOf("AKIAIOSFODNN7EXAMPLE")).toBe("an AWS access key id");
    expect(credentialShapeOf("https://example.com/path")).toBeUndefined();
    expect(credentialShapeOf(REDACTED)).toBeUndefined();
  });
});
