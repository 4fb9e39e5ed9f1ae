import { z } from "zod";

/** DomainScan ids are cuids: refuse anything else before touching the database. */
export const scanIdSchema = z.string().regex(/^[a-z0-9]{20,40}$/, "not a domain check id");
