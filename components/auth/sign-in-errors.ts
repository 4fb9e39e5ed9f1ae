/** next-auth's error codes (and ours), in words people can act on. */
export function signInErrorMessage(code: string): string {
  switch (code) {
    case "Verification":
      return "This sign-in link has expired or was already used. Request a new one below.";
    case "EmailSignin":
      return "We could not send a sign-in link to that address. Check it and try again.";
    case "RateLimited":
      return "Too many sign-in requests. Wait a few minutes, then try again.";
    case "SessionRequired":
      return "Sign in to continue.";
    case "AccessDenied":
      return "This account may not sign in here.";
    default:
      return "Sign-in failed. Try again in a moment.";
  }
}
