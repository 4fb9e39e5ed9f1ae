/** Runs once when the server starts: fail fast on bad configuration, and tell next-auth its URL. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { settings } = await import("./lib/config/settings");
  const config = settings();
  process.env.NEXTAUTH_URL ??= config.appUrl;
}
