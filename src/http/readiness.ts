import type { Logger } from "../log.js";

/**
 * One thing `/readyz` checks: the database answers, an adapter is connected, the job loop is alive.
 * `check` answers undefined when ready, or a short sentence saying what is wrong — shown in the
 * response body, so never a secret, a connection string or a library's error text.
 */
export interface ReadinessProbe {
  /** Names the check in the body: "database", "jobs", "discord", "slack". */
  readonly name: string;
  check(): Promise<string | undefined> | string | undefined;
}

/** One probe's answer in the `/readyz` body. */
export type CheckResult = { ok: true } | { ok: false; reason: string };

/** The `/readyz` body. */
export interface Readiness {
  status: "ready" | "not ready";
  /** The names of the checks that failed, in probe order (empty when ready). */
  failed: string[];
  checks: Record<string, CheckResult>;
}

/** A probe that has not answered in this long counts as failed: a hung database must not hang /readyz. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * Runs every probe at once and gathers the answers. A probe that throws or does not answer within
 * {@link PROBE_TIMEOUT_MS} fails with a generic reason; what it threw goes to the (scrubbed) log,
 * once per change of that probe's state, so a scraper polling a broken check does not flood it.
 */
export class ReadinessChecks {
  private readonly lastFailed = new Map<string, boolean>();

  constructor(
    private readonly probes: readonly ReadinessProbe[],
    private readonly log: Logger,
    private readonly timeoutMs = PROBE_TIMEOUT_MS,
  ) {
    const names = new Set<string>();
    for (const probe of probes) {
      if (names.has(probe.name)) throw new Error(`two readiness probes are named "${probe.name}"`);
      names.add(probe.name);
    }
  }

  async run(): Promise<Readiness> {
    const results = await Promise.all(this.probes.map((probe) => this.one(probe)));
    const checks: Record<string, CheckResult> = {};
    const failed: string[] = [];
    this.probes.forEach((probe, i) => {
      const result = results[i]!;
      checks[probe.name] = result;
      if (!result.ok) failed.push(probe.name);
    });
    return { status: failed.length === 0 ? "ready" : "not ready", failed, checks };
  }

  private async one(probe: ReadinessProbe): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.timeoutMs);
    });
    let result: CheckResult;
    let error: unknown;
    try {
      const answer = await Promise.race([Promise.resolve().then(() => probe.check()), timeout]);
      if (answer === "timeout") result = { ok: false, reason: `no answer within ${this.timeoutMs / 1000} s` };
      else result = answer === undefined ? { ok: true } : { ok: false, reason: answer };
    } catch (thrown) {
      error = thrown;
      result = { ok: false, reason: "the check failed (see the log)" };
    } finally {
      clearTimeout(timer);
    }
    const wasFailed = this.lastFailed.get(probe.name) ?? false;
    if (!result.ok !== wasFailed) {
      if (result.ok) this.log.info({ check: probe.name }, "readiness: check passes again");
      else this.log.warn({ check: probe.name, reason: result.reason, ...(error !== undefined ? { err: error } : {}) }, "readiness: check failed");
    }
    this.lastFailed.set(probe.name, !result.ok);
    return result;
  }
}
