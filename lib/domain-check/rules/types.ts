/** Shapes of verdicts: what a check says about a domain and how the report is laid out. */

export const CHECK_STATUSES = ["pass", "warn", "fail", "info", "not-applicable", "not-tested"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CHECK_GROUPS = ["email-dns", "tls", "http", "other"] as const;
export type CheckGroup = (typeof CHECK_GROUPS)[number];

export const GROUP_TITLES: Record<CheckGroup, string> = {
  "email-dns": "Email and DNS",
  tls: "TLS and certificate",
  http: "HTTP",
  other: "Other",
};

export interface CheckDefinition {
  id: string;
  group: CheckGroup;
  title: string;
  /** Weight in the score; 0 for informational checks. */
  points: number;
  why: string;
  fix: string;
  references: string[];
}

/** The Observatory test result behind an HTTP check, so a verdict can be compared with MDN's. */
export interface ObservatoryResult {
  test: string;
  result: string;
  modifier: number;
}

/** What a rule decides, before the catalog adds titles and texts. */
export interface Verdict {
  status: CheckStatus;
  /** One sentence for people: what was seen and what it means. */
  summary: string;
  /** The evidence shown with the verdict (records, header values, certificate fields). */
  evidence: Record<string, unknown>;
  observatory?: ObservatoryResult[];
}

export interface CheckResult extends CheckDefinition, Verdict {}
