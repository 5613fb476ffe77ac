import { describe, expect, it } from "vitest";
import { planPrerequisites, type SystemFindings } from "../setup/prerequisites.ts";

const complete: SystemFindings = {
  postgresMajor: "15",
  pgTap: true,
  pgProve: true,
  pgCron: true,
  chromium: true,
  isRoot: false,
  hasAptGet: true,
};
const freshDebian: SystemFindings = { ...complete, pgTap: false, pgProve: false, pgCron: false };

describe("planPrerequisites", () => {
  it("proceeds when everything is there", () => {
    expect(planPrerequisites(complete)).toEqual({ action: "proceed" });
  });

  it("installs pgTAP, pg_prove and pg_cron as root with apt-get", () => {
    expect(planPrerequisites({ ...freshDebian, isRoot: true })).toEqual({
      action: "install",
      packages: ["postgresql-15-pgtap", "libtap-parser-sourcehandler-pgtap-perl", "postgresql-15-cron"],
    });
  });

  it("installs only what is missing, for the server's major version", () => {
    expect(planPrerequisites({ ...complete, postgresMajor: "16", pgProve: false, isRoot: true })).toEqual({
      action: "install",
      packages: ["libtap-parser-sourcehandler-pgtap-perl"],
    });
  });

  it("installs Chromium for the browser suites when it is missing", () => {
    expect(planPrerequisites({ ...complete, chromium: false, isRoot: true })).toEqual({
      action: "install",
      packages: ["chromium"],
    });
  });

  it("installs pg_cron alone as root, so the schedule is tested", () => {
    expect(planPrerequisites({ ...complete, pgCron: false, isRoot: true })).toEqual({
      action: "install",
      packages: ["postgresql-15-cron"],
    });
  });

  it("proceeds with a warning without pg_cron when it cannot install it", () => {
    const plan = planPrerequisites({ ...complete, pgCron: false });
    expect(plan.action).toBe("proceed");
    expect(plan.action === "proceed" && plan.warning).toContain("postgresql-15-cron");
  });

  it("stops with one message naming every package when not root", () => {
    const plan = planPrerequisites(freshDebian);
    expect(plan.action).toBe("stop");
    const message = plan.action === "stop" ? plan.message : "";
    expect(message).toContain(
      "apt-get install -y --no-install-recommends postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl postgresql-15-cron",
    );
    expect(message).toContain("without root");
  });

  it("stops without apt-get, even as root", () => {
    const plan = planPrerequisites({ ...freshDebian, isRoot: true, hasAptGet: false });
    expect(plan.action).toBe("stop");
    expect(plan.action === "stop" && plan.message).toContain("apt-get is not available");
  });

  it("stops without PostgreSQL server binaries and names postgresql-15 first", () => {
    const plan = planPrerequisites({ ...freshDebian, postgresMajor: null, isRoot: true });
    expect(plan.action).toBe("stop");
    const message = plan.action === "stop" ? plan.message : "";
    expect(message).toContain("install -y --no-install-recommends postgresql-15 postgresql-15-pgtap");
    expect(message).toContain("no PostgreSQL server binaries");
  });
});
