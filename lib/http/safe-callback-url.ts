/**
 * Only paths inside the app: a callbackUrl can never send people to another site. An absolute
 * URL is accepted only on the app's own origin, and reduced to its path.
 */
export function safeCallbackUrl(value: string | string[] | undefined, appUrl?: string, fallback = "/app"): string {
  let url = Array.isArray(value) ? value[0] : value;
  if (!url) return fallback;
  if (appUrl && /^https?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url);
      if (parsed.origin !== new URL(appUrl).origin) return fallback;
      url = `${parsed.pathname}${parsed.search}`;
    } catch {
      return fallback;
    }
  }
  if (!url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return fallback;
  return url;
}
