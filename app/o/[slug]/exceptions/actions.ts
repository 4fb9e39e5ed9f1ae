"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { runOrgAction, type ActionResult } from "@/lib/http/server-action";
import { createExceptionInput } from "@/lib/exceptions/exception-input";
import { createException } from "@/lib/exceptions/create-exception";
import { revokeException } from "@/lib/exceptions/revoke-exception";

export async function createExceptionAction(slug: string, input: unknown): Promise<ActionResult<{ id: string; clusterId: string | null; createdAt: string }>> {
  return runOrgAction({ slug, action: "exception:manage", schema: createExceptionInput }, input, async ({ scope, input }) => {
    const exception = await createException({ scope, input });
    revalidatePath(`/o/${slug}`, "layout");
    return { id: exception.id, clusterId: exception.clusterId, createdAt: exception.createdAt.toISOString() };
  });
}

export async function revokeExceptionAction(slug: string, exceptionId: string): Promise<ActionResult<{ id: string }>> {
  return runOrgAction({ slug, action: "exception:manage", schema: z.object({ exceptionId: z.string().min(1).max(64) }) }, { exceptionId }, async ({ scope, input }) => {
    const exception = await revokeException({ scope, exceptionId: input.exceptionId });
    revalidatePath(`/o/${slug}`, "layout");
    return { id: exception.id };
  });
}
