/**
 * A real SMTP server for tests: the app sends mail to it over SMTP, exactly as in production;
 * each message is parsed and written as JSON into a directory the tests read.
 */
import fs from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  receivedAt: string;
}

export async function startMailCatcher(dir: string): Promise<{ port: number; close(): Promise<void> }> {
  fs.mkdirSync(dir, { recursive: true });
  let counter = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ""));
          const caught: CaughtMail = { to, subject: mail.subject ?? "", text: mail.text ?? "", html: typeof mail.html === "string" ? mail.html : undefined, receivedAt: new Date().toISOString() };
          counter += 1;
          fs.writeFileSync(path.join(dir, `${Date.now()}-${counter}.json`), JSON.stringify(caught));
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Waits for the newest mail to `to` received after `since`. */
export async function waitForMail(dir: string, to: string, options: { since?: number; timeoutMs?: number } = {}): Promise<CaughtMail> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const since = options.since ?? 0;
  while (Date.now() < deadline) {
    if (fs.existsSync(dir)) {
      const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json") && Number(f.split("-")[0]) >= since).sort().reverse();
      for (const file of files) {
        const mail = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CaughtMail;
        if (mail.to.includes(to)) return mail;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`No mail to ${to} arrived within ${options.timeoutMs ?? 15_000} ms`);
}
