import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Actor } from "../../core/identity.js";
import { memberText, mention } from "../../core/reply.js";
import type { Database } from "../../db/schema.js";
import type { Community } from "../communities/community.repo.js";
import { settingPlace } from "../levels/level-up-announcement.js";
import type { OutboxWriter } from "../outbox/index.js";
import { cleanDisplayName } from "../points/display-name.js";
import type { WriteQueue } from "../write-queue.js";
import { changedDm, proposalCard } from "./talk-replies.js";
import { code, TalkRefusal } from "./talk-codes.js";
import * as repo from "./talks.repo.js";
import type { ProposalRow, TalkRow } from "./talks.repo.js";

type Trx = Transaction<Database>;

/**
 * Calls for speakers: `/talk propose` puts a card in front of the organizers (the talks
 * organizers' channel, else the mod queue) with Schedule and Decline; deciding edits the card and
 * tells the proposer. A proposal is decided once. With neither channel set the proposal is refused:
 * the card is for organizers only, and posting it where it was asked would put its Schedule and
 * Decline buttons in front of everyone.
 */
export class ProposalsService {
  constructor(private readonly deps: { db: Kysely<Database>; writes: WriteQueue; clock: Clock; outbox: OutboxWriter }) {}

  propose(community: Community, actor: Actor, title: string, description: string | undefined): Promise<ProposalRow> {
    const to = settingPlace(community.settings.talks.organizersChannel) ?? settingPlace(community.settings.channels.modQueue);
    if (!to) {
      return Promise.reject(
        new TalkRefusal("Nothing was sent: there's no organizers' channel to send proposals to. An admin can set one with `/config set talks.organizersChannel #channel` (or `/config set channels.modQueue #channel`)."),
      );
    }
    return this.deps.writes.submit(async (trx) => {
      const id = `P${code(6)}`;
      const row: ProposalRow = { id, community_id: community.id, title, description: description ?? "", proposer_id: actor.id, proposer_name: cleanDisplayName(actor.displayName, actor.userId), status: "open", card_key: `talk:proposal:${id}`, created_at: this.deps.clock.now().toISOString() };
      await repo.insertProposal(trx, row);
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: row.card_key, operation: "post", to, reply: proposalCard(row) });
      return row;
    });
  }

  proposal(community: Community, id: string): Promise<ProposalRow | undefined> {
    return repo.findProposal(this.deps.db, community.id, id);
  }

  decline(community: Community, id: string): Promise<ProposalRow> {
    return this.deps.writes.submit(async (trx) => {
      const p = await repo.findProposal(trx, community.id, id);
      if (!p || !(await repo.decideProposal(trx, id, "declined"))) throw new TalkRefusal("That proposal was already scheduled or declined.");
      const declined = { ...p, status: "declined" as const };
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `${p.card_key}:declined`, operation: "edit", of: p.card_key, reply: proposalCard(declined) });
      await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `${p.card_key}:declined:dm`, operation: "dm", memberId: p.proposer_id, reply: { text: `Thanks for proposing ${memberText(p.title)}. The organizers won't schedule it this time.` } });
      return declined;
    });
  }

  /** In the transaction that scheduled it: the card says so and the proposer is told by DM. */
  async scheduled(trx: Trx, community: Community, proposalId: string, talk: TalkRow): Promise<void> {
    const p = (await repo.findProposal(trx, community.id, proposalId))!;
    await this.deps.outbox.enqueue(trx, { communityId: community.id, dedupeKey: `${p.card_key}:scheduled`, operation: "edit", of: p.card_key, reply: proposalCard({ ...p, status: "scheduled" }) });
    await this.deps.outbox.enqueue(trx, {
      communityId: community.id,
      dedupeKey: `${p.card_key}:scheduled:dm`,
      operation: "dm",
      memberId: p.proposer_id,
      reply: changedDm(talk, `is scheduled — your proposal, with ${mention({ id: talk.speaker_id, displayName: talk.speaker_name })} speaking`),
    });
  }
}
