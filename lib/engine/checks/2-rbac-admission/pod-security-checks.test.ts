/**
 * Parity with Pod Security Admission: for each pod, the set of our pod-security checks
 * that fail must be exactly the controls PSA's baseline and restricted profiles reject
 * (k8s.io/pod-security-admission/policy, enforce-version latest).
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import type { KubeObject } from "@/lib/snapshot/schema";
import { hostPathVolume } from "@/lib/engine/checks/2-rbac-admission/host-path-volume";
import { dangerousCapabilities } from "@/lib/engine/checks/2-rbac-admission/dangerous-capabilities";
import { capabilitiesDropAll } from "@/lib/engine/checks/2-rbac-admission/capabilities-drop-all";
import { seccompProfile } from "@/lib/engine/checks/2-rbac-admission/seccomp-profile";
import { apparmorProfile } from "@/lib/engine/checks/2-rbac-admission/apparmor-profile";
import { selinuxOptions } from "@/lib/engine/checks/2-rbac-admission/selinux-options";
import { procMount } from "@/lib/engine/checks/2-rbac-admission/proc-mount";
import { unsafeSysctls } from "@/lib/engine/checks/2-rbac-admission/unsafe-sysctls";
import { restrictedVolumeTypes } from "@/lib/engine/checks/2-rbac-admission/restricted-volume-types";
import { windowsHostProcess } from "@/lib/engine/checks/2-rbac-admission/windows-host-process";
import { privilegeEscalation } from "@/lib/engine/checks/1-images/privilege-escalation";

const CHECKS = [hostPathVolume, dangerousCapabilities, capabilitiesDropAll, seccompProfile, apparmorProfile, selinuxOptions, procMount, unsafeSysctls, restrictedVolumeTypes, windowsHostProcess, privilegeEscalation];
const RESTRICTED_ONLY = ["capabilities-drop-all", "privilege-escalation", "seccomp-profile"];

/** A pod that satisfies the restricted profile; cases change one thing. */
function restrictedPod(): Record<string, unknown> {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "app", image: "registry.example.com/web:1", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
}

function failing(spec: Record<string, unknown>, annotations: Record<string, string> = {}, kubernetesVersion?: string): string[] {
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop", annotations }, spec } as unknown as KubeObject;
  const report = evaluate({ objects: [pod], ...(kubernetesVersion ? { cluster: { kubernetesVersion } } : {}) }, { now: "2026-11-01T00:00:00Z", checks: CHECKS });
  return [...new Set(report.findings.filter((f) => f.status === "fail").map((f) => f.checkId))].sort();
}

type Mutate = (spec: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const ctr = (spec: Record<string, any>) => spec.containers[0]; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Pod Security parity", () => {
  it("a restricted pod fails none of the checks", () => {
    expect(failing(restrictedPod())).toEqual([]);
  });

  it("the default, minimally specified pod is baseline: only the restricted controls fail", () => {
    expect(failing({ containers: [{ name: "app", image: "registry.example.com/web:1" }] })).toEqual(RESTRICTED_ONLY);
  });

  const cases: [string, Mutate, string[], Record<string, string>?, string?][] = [
    ["hostPath volume (baseline)", (s) => s.volumes.push({ name: "h", hostPath: { path: "/srv" } }), ["host-path-volume"]],
    ["NET_RAW added (baseline)", (s) => (ctr(s).securityContext.capabilities.add = ["NET_RAW"]), ["dangerous-capabilities"]],
    ["CHOWN added: baseline allows, restricted does not", (s) => (ctr(s).securityContext.capabilities.add = ["CHOWN"]), ["capabilities-drop-all"]],
    ["NET_BIND_SERVICE added: both allow", (s) => (ctr(s).securityContext.capabilities.add = ["NET_BIND_SERVICE"]), []],
    ["drop without ALL (restricted)", (s) => (ctr(s).securityContext.capabilities.drop = ["NET_RAW"]), ["capabilities-drop-all"]],
    ["pod seccomp Unconfined (baseline)", (s) => (s.securityContext.seccompProfile.type = "Unconfined"), ["seccomp-profile"]],
    ["Localhost seccomp at container level only", (s) => {
      delete s.securityContext.seccompProfile;
      ctr(s).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
    }, []],
    ["AppArmor annotation unconfined (baseline)", () => undefined, ["apparmor-profile"], { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" }],
    ["AppArmor field Unconfined (baseline)", (s) => (ctr(s).securityContext.appArmorProfile = { type: "Unconfined" }), ["apparmor-profile"]],
    ["SELinux level only: allowed", (s) => (s.securityContext.seLinuxOptions = { level: "s0:c1,c2" }), []],
    ["SELinux spc_t (baseline)", (s) => (s.securityContext.seLinuxOptions = { type: "spc_t" }), ["selinux-options"]],
    ["SELinux role (baseline)", (s) => (ctr(s).securityContext.seLinuxOptions = { role: "sysadm_r" }), ["selinux-options"]],
    ["procMount Unmasked (baseline)", (s) => (ctr(s).securityContext.procMount = "Unmasked"), ["proc-mount"]],
    ["unsafe sysctl (baseline)", (s) => (s.securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]), ["unsafe-sysctls"]],
    ["safe sysctl", (s) => (s.securityContext.sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }]), []],
    ["nfs volume (restricted)", (s) => s.volumes.push({ name: "n", nfs: { server: "x", path: "/" } }), ["restricted-volume-types"]],
    ["hostProcess (baseline)", (s) => (s.securityContext.windowsOptions = { hostProcess: true }), ["windows-host-process"]],
    ["allowPrivilegeEscalation unset (restricted)", (s) => delete ctr(s).securityContext.allowPrivilegeEscalation, ["privilege-escalation"]],
    ["tcp_rmem on 1.31: not yet safe", (s) => (s.securityContext.sysctls = [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }]), ["unsafe-sysctls"], {}, "v1.31.0"],
    ["tcp_rmem on 1.32", (s) => (s.securityContext.sysctls = [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }]), [], {}, "v1.32.0"],
  ];

  for (const [name, mutate, expected, annotations, version] of cases) {
    it(name, () => {
      const spec = restrictedPod() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      mutate(spec);
      expect(failing(spec, annotations, version)).toEqual(expected);
    });
  }

  it("Windows pods are exempt from the Linux-only restricted controls", () => {
    expect(failing({ os: { name: "windows" }, containers: [{ name: "iis", image: "mcr.microsoft.com/windows/servercore/iis:ltsc2022" }] })).toEqual([]);
  });
});
