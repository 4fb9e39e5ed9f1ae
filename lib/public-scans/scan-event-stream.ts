/**
 * Server-Sent Events for one domain check. Events (each `data:` is JSON):
 *   scan            the current state (ScanView) on connect
 *   probe-finished  { probe, elapsedMs }
 *   group-finished  { group, title, checks, elapsedMs }, as each group's checks are decided
 *   scan-finished   the final ScanView (with the report), then the stream ends
 *   scan-failed     the final ScanView (with the failure), then the stream ends
 * A scan running in this process is followed live; one running elsewhere (another instance) is followed by
 * reading the database every second. Comments keep proxies from closing an idle stream.
 */
import type { PublicScanService } from "./public-scan-service";
import type { RunnerEvent } from "./scan-runner";
import { GROUP_OUTLINE } from "./scan-store";
import { type GroupProgress, type StoredScan, toScanView } from "./scan-view";

export interface EventStreamOptions {
  pollMs?: number;
  keepAliveMs?: number;
  /** The stream ends after this long whatever happens; clients then poll. */
  maxDurationMs?: number;
}

export function scanEventStream(service: PublicScanService, initial: StoredScan, signal: AbortSignal, onClose: () => void, options: EventStreamOptions = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const cleanups: (() => void)[] = [];
  let closed = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const sentGroups = new Set<string>();
      const close = () => {
        if (closed) return;
        closed = true;
        for (const cleanup of cleanups) cleanup();
        onClose();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const sendGroup = (progress: GroupProgress) => {
        if (sentGroups.has(progress.group)) return;
        sentGroups.add(progress.group);
        send("group-finished", progress);
      };
      const sendFinal = (scan: StoredScan) => {
        send(scan.status === "finished" ? "scan-finished" : "scan-failed", toScanView(scan, GROUP_OUTLINE));
        close();
      };
      const final = async () => {
        const scan = await service.get(initial.id).catch(() => null);
        if (scan && scan.status !== "running") sendFinal(scan);
        else close();
      };

      signal.addEventListener("abort", close, { once: true });
      cleanups.push(() => signal.removeEventListener("abort", close));
      const keepAlive = setInterval(() => write(": keep-alive\n\n"), options.keepAliveMs ?? 15_000);
      cleanups.push(() => clearInterval(keepAlive));
      const limit = setTimeout(close, options.maxDurationMs ?? 90_000);
      cleanups.push(() => clearTimeout(limit));

      write("retry: 2000\n\n");
      if (initial.status !== "running") {
        send("scan", toScanView(initial, GROUP_OUTLINE));
        sendFinal(initial);
        return;
      }

      const live = service.subscribe(initial.id, (event: RunnerEvent) => {
        if (event.type === "probe-finished") send("probe-finished", { probe: event.probe, elapsedMs: event.elapsedMs });
        else if (event.type === "group-finished") sendGroup(event.progress);
        else void final();
      });
      if (live) {
        cleanups.push(live.unsubscribe);
        const view = toScanView({ ...initial, progress: live.groups }, GROUP_OUTLINE);
        send("scan", view);
        for (const group of live.groups) sentGroups.add(group.group);
        return;
      }

      // Running in another process (or finishing right now): follow the database.
      send("scan", toScanView(initial, GROUP_OUTLINE));
      for (const group of Array.isArray(initial.progress) ? (initial.progress as GroupProgress[]) : []) sentGroups.add(group.group);
      const poll = setInterval(async () => {
        const scan = await service.get(initial.id).catch(() => null);
        if (closed || !scan) return;
        for (const group of Array.isArray(scan.progress) ? (scan.progress as GroupProgress[]) : []) sendGroup(group);
        if (scan.status !== "running") sendFinal(scan);
      }, options.pollMs ?? 1000);
      cleanups.push(() => clearInterval(poll));
    },
    cancel() {
      if (closed) return;
      closed = true;
      for (const cleanup of cleanups) cleanup();
      onClose();
    },
  });
}
