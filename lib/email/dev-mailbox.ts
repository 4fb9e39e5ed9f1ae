/**
 * Development and demo only: mail is written to files under the data dir instead of being sent,
 * and /dev/mailbox lists it. Never enabled in production (see settings.devMailboxEnabled).
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";
import { settings } from "@/lib/config/settings";
import type { OutgoingMail } from "./outgoing-mail";

const storedMailSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  sentAt: z.string(),
});
export type StoredMail = z.infer<typeof storedMailSchema>;

function mailboxDir(): string {
  return path.join(settings().dataDir, "mailbox");
}

export async function deliverToDevMailbox(mail: OutgoingMail): Promise<StoredMail> {
  const stored: StoredMail = { id: crypto.randomUUID(), ...mail, sentAt: new Date().toISOString() };
  const dir = mailboxDir();
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${stored.sentAt.replace(/[:.]/g, "-")}-${stored.id}.json`);
  await fs.promises.writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return stored;
}

/** Newest first. */
export async function listDevMailbox(limit = 50): Promise<StoredMail[]> {
  const dir = mailboxDir();
  if (!fs.existsSync(dir)) return [];
  const files = (await fs.promises.readdir(dir)).filter((f) => f.endsWith(".json")).sort().reverse().slice(0, limit);
  const mails: StoredMail[] = [];
  for (const file of files) {
    const parsed = storedMailSchema.safeParse(JSON.parse(await fs.promises.readFile(path.join(dir, file), "utf8")));
    if (parsed.success) mails.push(parsed.data);
  }
  return mails;
}
