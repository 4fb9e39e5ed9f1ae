import { z } from "zod";

// Names that would collide with routes or confuse people in URLs.
const RESERVED = new Set(["new", "api", "app", "admin", "settings", "signin", "signout", "login", "logout", "dev", "check", "orgs", "o", "www", "ramparts", "static", "public"]);

export const organizationSlugSchema = z
  .string({ error: "Slug is required" })
  .trim()
  .min(3, "Slug must be at least 3 characters")
  .max(40, "Slug must be at most 40 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Slug may contain lowercase letters, digits and single hyphens, and must start and end with a letter or digit")
  .refine((slug) => !RESERVED.has(slug), "This slug is reserved");

export const organizationNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(2, "Name must be at least 2 characters")
  .max(80, "Name must be at most 80 characters");

/** A suggestion for the slug field, derived from the name. */
export function suggestSlug(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}
