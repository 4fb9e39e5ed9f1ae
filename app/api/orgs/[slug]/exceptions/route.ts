import { z } from "zod";
import { NextResponse } from "next/server";
import { orgRoute } from "@/lib/http/api-route";
import { createExceptionInput } from "@/lib/exceptions/exception-input";
import { createException } from "@/lib/exceptions/create-exception";
import { listExceptions } from "@/lib/exceptions/list-exceptions";

const query = z.object({ clusterId: z.string().max(64).optional(), all: z.enum(["0", "1"]).optional() });

/** Exceptions in force (?all=1: also expired and revoked), optionally those applying to one cluster. */
export const GET = orgRoute({ action: "finding:read", query }, async ({ scope, query }) => ({
  exceptions: await listExceptions({ scope, clusterId: query.clusterId, includeInactive: query.all === "1" }),
}));

/** Creates an exception (admins and owners); the affected clusters are re-evaluated. */
export const POST = orgRoute({ action: "exception:manage", body: createExceptionInput }, async ({ scope, body }) => {
  const exception = await createException({ scope, input: body });
  return NextResponse.json({ exception }, { status: 201 });
});
