import type { MessageCreated, MessageDeleted } from "../../core/events.js";
import { channelKey } from "../../core/identity.js";
import { beforeFirstRow, earliest, fromMessage, fromReaction, fromThanks, isEligible, type MessageRow } from "./points-events.js";
import { claimReactions, endReactions, endThanks, fillTombstone, findMessage, insertMessage, markMessageDeleted, messageAuthor, reactionsOf, thanksOf } from "./points-events.repo.js";
import { endedEarlier, refuse } from "./reaction-events.js";
import { saysThanks } from "./rules.js";
import { Settlement } from "./settlement.js";
import { gift } from "./thanks-events.js";

// Messages created and deleted, for the points service (as reaction-events.ts is for reactions).
// A create and its delete may arrive in either order: whichever comes first leaves the row the
// other completes. Each handler returns true when the event had been applied already.

/** Returns true when the event had been applied already. */
export async function messageCreated(s: Settlement, e: MessageCreated, at: string | undefined): Promise<boolean> {
  if (e.author.isBot) return refuse(s, "bot", e.author.id);
  const createdAt = at ?? (Number.isFinite(e.at.getTime()) ? e.at.toISOString() : undefined);
  if (createdAt === undefined) return refuse(s, "bad-timestamp", e.author.id);
  const channel = channelKey(e.place);
  const noPoints = s.rules.noPointsChannels.includes(channel);
  const scored = at !== undefined && !noPoints;
  // Awaited only on Postgres: on SQLite these have run already (see LedgerWriter.append).
  const found = s.members.get(e.author);
  const author = found instanceof Promise ? await found : found;
  const kind = e.threadParentKey !== undefined ? "reply" : "post";

  const decision = at !== undefined && scored && s.fresh(author, at, e.messageKey) ? s.judge(author, { key: e.messageKey, at, kind }) : undefined;
  const gross = decision?.judgement.gross ?? null;
  const first = Settlement.preview({ key: e.messageKey, kind, gross, endedAt: null });
  const row: MessageRow = {
    message_key: e.messageKey,
    community_id: s.community.id,
    member_id: e.author.id,
    channel_key: channel,
    thread_parent_key: e.threadParentKey ?? null,
    created_at: createdAt,
    deleted_at: null,
    scored: scored ? 1 : 0,
    gross,
    net: first.net,
    ledger_rows: first.ledgerRows,
  };
  let early = false;
  const inserted = insertMessage(s.db, row);
  if (!(inserted instanceof Promise ? await inserted : inserted)) {
    const existing = await messageAuthor(s.db, e.messageKey);
    if (!existing || existing.member_id !== "") return true;
    // A row without an author: reactions or a delete overtook this create. A delete's create is
    // judged in its place all the same (it takes its cooldown and room as it would have in
    // order), and reversed at once — nothing reaches the ledger.
    if (existing.deleted_at !== null) Object.assign(row, { deleted_at: existing.deleted_at, net: 0, ledger_rows: 0 });
    await fillTombstone(s.db, row);
    early = true;
  }

  if (!scored) s.ledger.skip(noPoints ? "no-points-channel" : "bad-timestamp", e.author.id);
  else if (decision) {
    decision.commit();
    if (decision.judgement.refusal) s.ledger.skip(decision.judgement.refusal, e.author.id);
    if (row.deleted_at === null) await s.firstRows(beforeFirstRow(fromMessage(row)), first);
  } else s.markLate(e.author.id, s.day(createdAt), createdAt, e.messageKey);

  if (early) await claimEarlyReactions(s, e.messageKey, e.author.id);

  if (scored && e.mentions.length > 0 && saysThanks(e.text)) {
    const receivers = [...new Map(e.mentions.map((m) => [m.id, m])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const receiver of receivers) {
      await gift(s, { key: `${e.messageKey}:thanks:${receiver.id}`, sourceKey: e.messageKey, giver: e.author, receiver, at: createdAt, endedAt: row.deleted_at });
    }
  }
  return false;
}

/** Reactions that arrived before their message now know who earns them; their days are refolded. */
async function claimEarlyReactions(s: Settlement, messageKey: string, authorId: string): Promise<void> {
  const early = (await reactionsOf(s.db, messageKey)).filter((r) => r.member_id === "");
  if (early.length === 0) return;
  await claimReactions(s.db, messageKey, authorId);
  await s.members.get({ id: authorId });
  for (const r of early) {
    const e = fromReaction({ ...r, member_id: authorId });
    if (!isEligible(e)) continue;
    s.markLate(authorId, s.day(e.at as string), e.at as string, e.key);
    s.touch(e);
  }
}

/** A message deleted: what it earned, and what it earned others (thanks in it, reactions to it), ends. */
export async function messageDeleted(s: Settlement, e: MessageDeleted, at: string | undefined): Promise<boolean> {
  if (at === undefined) return refuse(s, "bad-timestamp");
  const existing = await findMessage(s.db, e.messageKey);
  if (!existing) {
    // The delete overtook the create: a tombstone, so the create, when it comes, is reversed.
    await insertMessage(s.db, {
      message_key: e.messageKey,
      community_id: s.community.id,
      member_id: "",
      channel_key: channelKey(e.place),
      thread_parent_key: null,
      created_at: at,
      deleted_at: at,
      scored: 0,
      gross: null,
      net: 0,
      ledger_rows: 0,
    });
  } else {
    if (existing.deleted_at !== null && existing.deleted_at <= at) return true;
    await markMessageDeleted(s.db, e.messageKey, at);
    if (existing.member_id !== "") s.touch(fromMessage({ ...existing, deleted_at: at }));
    // Everything the message earned others: the thanks in it, the reactions it received.
    const thanks = await thanksOf(s.db, e.messageKey);
    if (thanks.length > 0) await endThanks(s.db, e.messageKey, at);
    for (const t of thanks) endedEarlier(s, fromThanks(t), fromThanks({ ...t, ended_at: earliest(t.ended_at, at) }));
  }
  const reactions = await reactionsOf(s.db, e.messageKey);
  if (reactions.length > 0) await endReactions(s.db, e.messageKey, at);
  for (const r of reactions) endedEarlier(s, fromReaction(r), fromReaction({ ...r, ended_at: earliest(r.ended_at, at) }));
  return false;
}
