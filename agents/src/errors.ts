/**
 * An error meant for people: the CLI prints its message as one line and exits with `exitCode`.
 * Anything else reaching the top is reported as an internal error without a stack trace.
 */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = "AgentError";
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "";
    return causeText && !error.message.includes(causeText) ? `${error.message}: ${causeText}` : error.message;
  }
  return String(error);
}
