/**
 * Sends mail over SMTP (SMTP_URL), or to the dev mailbox when none is configured outside production.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { settings } from "@/lib/config/settings";
import { deliverToDevMailbox } from "./dev-mailbox";
import type { OutgoingMail } from "./outgoing-mail";
import { logger } from "@/lib/observability/logger";

let transporter: Transporter | undefined;

function smtpTransport(url: string): Transporter {
  transporter ??= nodemailer.createTransport(url);
  return transporter;
}

export async function sendMail(mail: OutgoingMail): Promise<void> {
  const config = settings();
  if (config.smtpUrl) {
    await smtpTransport(config.smtpUrl).sendMail({ from: config.emailFrom, ...mail });
    logger.info("mail.sent", { subject: mail.subject });
    return;
  }
  if (!config.devMailboxEnabled) throw new Error("No SMTP server is configured (SMTP_URL)");
  await deliverToDevMailbox(mail);
  logger.info("mail.dev_mailbox", { subject: mail.subject, hint: "open /dev/mailbox" });
}
