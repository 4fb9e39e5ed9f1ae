import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";

/** Liveness and database readiness, for load balancers and the compose healthcheck. */
export async function GET() {
  try {
    const prisma = await db();
    await prisma.$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok" });
  } catch {
    return NextResponse.json({ status: "unavailable" }, { status: 503 });
  }
}
