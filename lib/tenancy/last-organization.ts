/** The organization switcher remembers the last choice in a plain cookie (a slug, not a secret). */
export const LAST_ORG_COOKIE = "ramparts-org";
