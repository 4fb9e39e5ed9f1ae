/** The agent's version, sent with every snapshot (X-Ramparts-Agent-Version). Bumped with the chart's appVersion. */
export const AGENT_VERSION = "0.1.0";
