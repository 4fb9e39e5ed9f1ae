/**
 * evaluate(input, options) -> report. Pure: the caller passes `now`; no I/O.
 * Passes and not-applicable results are counted; failures, unknowns and excepted
 * results are listed as findings. Cost is linear in objects x checks, with no
 * allocation per passing result.
 *
 * evaluateStepwise() is the same evaluation as a generator: it hands over each check's
 * findings as soon as the check ran, in report order, and returns the report. The ingest job
 * stores the first checks' findings while the engine runs the rest (still no I/O here).
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { ClusterInfo, EngineInput, ObjectSource } from "@/lib/engine/model/engine-input";
import type { Check, CheckContext, CheckOptions, CheckOutcome, ListVisibility, OutcomeSubject } from "@/lib/engine/model/check";
import { SEVERITIES } from "@/lib/engine/model/check";
import { isRecord, type ResourceRef } from "@/lib/engine/model/kube";
import { LAYERS } from "@/lib/engine/model/layers";
import { buildInventory, type Inventory } from "@/lib/engine/inventory/inventory";
import { Exemptions } from "@/lib/engine/exceptions/exemptions";
import type { ExceptionRule } from "@/lib/engine/exceptions/exception-rule";
import { CLUSTER_RESOURCE } from "@/lib/engine/checks/define";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { isVisible, visibilityLookup, type VisibilityLookup } from "@/lib/engine/evaluate/visibility";
import { fingerprintOf } from "@/lib/engine/report/fingerprint";
import { REPORT_VERSION, type CheckSummary, type Finding, type Report, type ResultCounts, type ResultStatus } from "@/lib/engine/report/report-types";
import { scoreChecks } from "@/lib/engine/scoring/score";

export interface EvaluateOptions extends CheckOptions {
  /** Evaluation time: exception expiry is judged against it. Required: the engine never reads the clock. */
  now: Date | string;
  /** Checks to run (default: the whole registry). */
  checks?: readonly Check[];
  /** Namespaces workload and namespace checks skip (default: kube-system, kube-public, kube-node-lease). */
  skipNamespaces?: readonly string[];
  exceptions?: readonly ExceptionRule[];
  /**
   * Wraps each check's evaluation, for profiling (bench/engine-evaluate-child.ts times
   * every check with it). Must call `run` exactly once.
   */
  instrument?: (checkId: string, run: () => void) => void;
}

const zeroCounts = (): ResultCounts => ({ pass: 0, fail: 0, unknown: 0, excepted: 0, notApplicable: 0 });

class CheckRun implements CheckContext {
  readonly counts = zeroCounts();
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly check: Check,
    readonly inventory: Inventory,
    readonly options: CheckOptions,
    readonly cluster: ClusterInfo,
    readonly mode: "cluster" | "manifests",
    readonly now: Date,
    private readonly lookup: VisibilityLookup,
    private readonly exemptions: Exemptions,
    private readonly sources: Map<KubeObject, ObjectSource> | undefined,
  ) {}

  visibility(group: string, resource: string): ListVisibility {
    return this.lookup(group, resource);
  }

  canSee(group: string, resource: string): boolean {
    return isVisible(this.lookup(group, resource));
  }

  record(subject: OutcomeSubject, outcome: CheckOutcome): void {
    switch (outcome.status) {
      case "pass":
        this.counts.pass += outcome.count ?? 1;
        return;
      case "not-applicable":
        this.counts.notApplicable += outcome.count ?? 1;
        return;
      case "unknown": {
        this.counts.unknown++;
        const { ref, object } = this.resolve(subject);
        this.push(ref, object, subject.container ?? null, outcome.path ?? null, outcome.message, "unknown", undefined);
        return;
      }
      case "fail": {
        const { ref, object } = this.resolve(subject);
        if (outcome.violations.length === 0) {
          this.counts.pass++;
          return;
        }
        // Exceptions match the resource and container, never the path: decide once per outcome.
        const exception = this.exemptions.find({
          checkId: this.check.id,
          ref,
          object,
          podAnnotations: object ? this.podAnnotationsOf(object) : undefined,
          namespaceAnnotations: ref.namespace !== undefined ? this.inventory.namespace(ref.namespace)?.annotations : undefined,
          container: subject.container,
        }, outcome.violations.length);
        const anyFail = !exception;
        for (const v of outcome.violations) {
          this.push(ref, object, subject.container ?? null, v.path, v.message, exception ? "excepted" : "fail", exception);
        }
        if (anyFail) this.counts.fail++;
        else this.counts.excepted++;
        return;
      }
    }
  }

  private podAnnotationsOf(obj: KubeObject): Record<string, string> | undefined {
    const w = this.inventory.workloadOf(obj);
    return w && w.object === obj ? w.podAnnotations : undefined;
  }

  private resolve(subject: OutcomeSubject): { ref: ResourceRef; object: KubeObject | undefined } {
    const r = subject.resource;
    if (isRecord((r as KubeObject).metadata)) {
      const obj = r as KubeObject;
      return { ref: this.inventory.refOf(obj), object: obj };
    }
    return { ref: r as ResourceRef, object: undefined };
  }

  private push(
    ref: ResourceRef,
    object: KubeObject | undefined,
    container: string | null,
    path: string | null,
    message: string,
    status: Finding["status"],
    exception: Finding["exception"],
  ): void {
    const fingerprint = fingerprintOf(this.check.id, ref, container, path);
    if (this.seen.has(fingerprint)) return;
    this.seen.add(fingerprint);
    const finding: Finding = {
      fingerprint,
      checkId: this.check.id,
      status,
      severity: this.check.severity,
      layer: this.check.layer,
      resource: ref,
      container,
      path,
      message,
    };
    const source = object ? this.sources?.get(object) : undefined;
    if (source) finding.source = source.line !== undefined ? { file: source.file, line: source.line } : { file: source.file };
    if (exception) finding.exception = exception;
    this.findings.push(finding);
  }
}

/** One check's findings, handed over as soon as the check ran. */
export interface CheckFindings {
  checkId: string;
  /** In report order; the steps' findings, concatenated, are the report's findings. */
  findings: readonly Finding[];
}

export function evaluate(input: EngineInput, options: EvaluateOptions): Report {
  const steps = evaluateStepwise(input, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Checks run in report order (layer, severity, id), so each check's findings, sorted, extend the
 * report's sorted findings: nothing handed over is reordered later, and no global sort is needed.
 */
export function* evaluateStepwise(input: EngineInput, options: EvaluateOptions): Generator<CheckFindings, Report, void> {
  const now = options.now instanceof Date ? options.now : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new Error("evaluate: options.now must be a valid date");
  const checks = options.checks ?? ALL_CHECKS;
  const inventory = buildInventory(input.objects, { skipNamespaces: options.skipNamespaces });
  const mode = input.coverage ? "cluster" : "manifests";
  const lookup = visibilityLookup(input.coverage);
  const exemptions = new Exemptions(options.exceptions ?? [], now);
  const cluster = input.cluster ?? {};
  let sources: Map<KubeObject, ObjectSource> | undefined;
  if (input.sources && input.sources.length > 0) {
    sources = new Map();
    input.objects.forEach((o, i) => {
      const s = input.sources![i];
      if (s) sources!.set(o, s);
    });
  }
  const checkOptions: CheckOptions = { allowedRegistries: options.allowedRegistries };

  // Summaries keep the order the checks were given in; execution follows report order.
  const runs = checks.map((check) => new CheckRun(check, inventory, checkOptions, cluster, mode, now, lookup, exemptions, sources));
  const findings: Finding[] = [];
  for (const run of [...runs].sort(compareRuns)) {
    const check = run.check;
    const blocked = check.needs.find((n) => !n.optional && !isVisible(lookup(n.group, n.resource)));
    if (blocked) {
      const status = lookup(blocked.group, blocked.resource);
      const what = blocked.group === "" ? blocked.resource : `${blocked.resource}.${blocked.group}`;
      run.record({ resource: CLUSTER_RESOURCE }, { status: "unknown", message: `cannot evaluate: ${what} could not be listed (${status})` });
    } else {
      try {
        if (options.instrument) options.instrument(check.id, () => check.evaluate(run));
        else check.evaluate(run);
      } catch (err) {
        // A bug in one check must not sink the report; it shows as unknown (and the fixture tests fail on it).
        run.record({ resource: CLUSTER_RESOURCE }, { status: "unknown", message: `check failed to evaluate: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    run.findings.sort(compareFindings);
    for (const f of run.findings) findings.push(f);
    yield { checkId: check.id, findings: run.findings };
  }

  const summaries: CheckSummary[] = runs.map((run) => ({
    id: run.check.id,
    title: run.check.title,
    layer: run.check.layer,
    severity: run.check.severity,
    scope: run.check.scope,
    status: statusOf(run.counts),
    counts: run.counts,
    references: {
      cis: run.check.references.cis ?? [],
      nsa: run.check.references.nsa ?? [],
      kubescape: run.check.references.kubescape ?? [],
      polaris: run.check.references.polaris ?? [],
    },
  }));

  const scored = scoreChecks(summaries.map((s) => ({ id: s.id, layer: s.layer, severity: s.severity, pass: s.counts.pass, fail: s.counts.fail, excepted: s.counts.excepted, unknown: s.counts.unknown })));

  const totals = zeroCounts();
  const layerCounts = new Map(LAYERS.map((l) => [l.id, zeroCounts()]));
  for (const s of summaries) {
    addCounts(totals, s.counts);
    addCounts(layerCounts.get(s.layer)!, s.counts);
  }

  return {
    reportVersion: REPORT_VERSION,
    generatedAt: now.toISOString(),
    target: {
      ...(cluster.name !== undefined ? { name: cluster.name } : {}),
      mode,
      ...(cluster.provider !== undefined ? { provider: cluster.provider } : {}),
      ...(cluster.kubernetesVersion !== undefined ? { kubernetesVersion: cluster.kubernetesVersion } : {}),
      ...(cluster.collectedAt !== undefined ? { collectedAt: cluster.collectedAt } : {}),
      objectCount: input.objects.length,
    },
    score: scored.score,
    grade: scored.grade,
    cappedBy: scored.cappedBy,
    coverage: {
      ratio: scored.coverage,
      unknownChecks: summaries.filter((s) => s.counts.unknown > 0).map((s) => s.id).sort(),
      unavailable: (input.coverage ?? []).filter((c) => c.status === "forbidden" || c.status === "error"),
    },
    layers: scored.layers.map((l) => ({
      id: l.id,
      name: LAYERS[l.id - 1]!.name,
      score: l.score,
      grade: l.grade,
      coverage: l.coverage,
      cappedBy: l.cappedBy,
      counts: layerCounts.get(l.id)!,
    })),
    counts: totals,
    findings,
    checks: summaries,
    exceptions: (options.exceptions ?? []).map((rule, i) => ({
      ...(rule.id !== undefined ? { id: rule.id } : {}),
      checkId: rule.checkId,
      reason: rule.reason,
      ...(rule.expiresAt !== undefined ? { expiresAt: rule.expiresAt } : {}),
      state: exemptions.isActive(i) ? "active" : "expired",
      matched: exemptions.matched[i] ?? 0,
    })),
    warnings: [...(input.warnings ?? []), ...inventory.warnings],
  };
}

function statusOf(c: ResultCounts): ResultStatus {
  if (c.fail > 0) return "fail";
  if (c.unknown > 0) return "unknown";
  if (c.pass > 0) return "pass";
  if (c.excepted > 0) return "excepted";
  return "not-applicable";
}

function addCounts(into: ResultCounts, c: ResultCounts): void {
  into.pass += c.pass;
  into.fail += c.fail;
  into.unknown += c.unknown;
  into.excepted += c.excepted;
  into.notApplicable += c.notApplicable;
}

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

function compareRuns(a: CheckRun, b: CheckRun): number {
  return a.check.layer - b.check.layer || SEVERITY_RANK.get(a.check.severity)! - SEVERITY_RANK.get(b.check.severity)! || cmp(a.check.id, b.check.id);
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.layer - b.layer ||
    SEVERITY_RANK.get(a.severity)! - SEVERITY_RANK.get(b.severity)! ||
    cmp(a.checkId, b.checkId) ||
    cmp(a.resource.namespace ?? "", b.resource.namespace ?? "") ||
    cmp(a.resource.kind, b.resource.kind) ||
    cmp(a.resource.name, b.resource.name) ||
    cmp(a.container ?? "", b.container ?? "") ||
    cmp(a.path ?? "", b.path ?? "") ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
