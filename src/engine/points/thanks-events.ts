import type { Actor, MemberRef } from "../../core/identity.js";
import { beforeFirstRow, fromThanks, type ThanksRow } from "./points-events.js";
import { insertThanks } from "./points-events.repo.js";
import { Settlement } from "./settlement.js";

// Thanks, for the points service: the giver's daily budget decides whether a thanks counts, then
// the receiver is judged like any award. Reached from a message that says thanks and from /thanks.

/** A thanks from `giver` to `receiver`, in a message or by `/thanks`. */
export async function gift(s: Settlement, g: { key: string; sourceKey: string; giver: Actor; receiver: MemberRef; at: string; endedAt: string | null }): Promise<void> {
  if (g.giver.isBot) return s.ledger.skip("bot", g.giver.id);
  if (g.receiver.id === g.giver.id) return s.ledger.skip("self", g.giver.id);
  // Read, not created: a refused thanks leaves no member row behind (nor renames one).
  const known = await s.members.peek(g.receiver.id);
  if (g.receiver.isBot ?? known?.is_bot === 1) return s.ledger.skip("bot", g.receiver.id);

  const giverRow = await s.members.peek(g.giver.id);
  let spend: ((giverId: string) => void) | undefined;
  if (s.fresh(giverRow, g.at, g.key)) {
    const step = s.judgeGift(giverRow, g.at, g.key);
    if (!step.counted) return s.ledger.skip("thanks-budget", g.giver.id);
    spend = step.commit;
  }
  await s.members.get(g.giver);
  if (spend) spend(g.giver.id);
  else {
    if (!(await s.judgeLateGift(g.giver.id, { key: g.key, at: g.at }))) return s.ledger.skip("thanks-budget", g.giver.id);
    s.members.raiseWatermark(g.giver.id, g.at, g.key);
  }

  // It counts: the thanks is spent even if the receiver is at today's cap. The name the option
  // carries is taken only if the thanks earns: one that earns nothing renames no one.
  const receiver = await s.members.get({ id: g.receiver.id, ...(g.receiver.isBot !== undefined ? { isBot: g.receiver.isBot } : {}) });
  const decision = s.fresh(receiver, g.at, g.key) ? s.judge(receiver, { key: g.key, at: g.at, kind: "thanks" }) : undefined;
  const gross = decision?.judgement.gross ?? null;
  if (!decision || (gross ?? 0) > 0) await s.members.get(g.receiver);
  const first = Settlement.preview({ key: g.key, kind: "thanks", gross, endedAt: g.endedAt });
  const row: ThanksRow = {
    key: g.key,
    community_id: s.community.id,
    source_key: g.sourceKey,
    giver_id: g.giver.id,
    receiver_id: g.receiver.id,
    at: g.at,
    ended_at: g.endedAt,
    counted: 1,
    gross,
    net: first.net,
    ledger_rows: first.ledgerRows,
  };
  if (!(await insertThanks(s.db, row))) return;
  if (decision) {
    decision.commit();
    if (decision.judgement.refusal) s.ledger.skip(decision.judgement.refusal, g.receiver.id);
    await s.firstRows(beforeFirstRow(fromThanks(row)), first);
  } else s.markLate(g.receiver.id, s.day(g.at), g.at, g.key);
}

