import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Database } from "../../db/schema.js";
import { markAnnounced } from "../../engine/levels/level-ups.repo.js";
import { PointsService } from "../../engine/points/points.service.js";
import { WriteQueue } from "../../engine/write-queue.js";

/**
 * The points engine's own writing path, for an import: a write queue (the totals histogram folds
 * its changes into the queue's commit) and a points service, so imported rows move totals,
 * histogram, members' points and levels exactly as earned points do.
 *
 * A level an import reaches is recorded, and recorded as decided: nothing is announced (a server's
 * whole history arriving at once would be hundreds of posts). Discord grants a level's role rewards
 * at the member's next level-up, with every reward up to it.
 */
export class ImportWriter {
  private readonly queue: WriteQueue;
  readonly points: PointsService;

  constructor(db: Kysely<Database>, private readonly clock: Clock) {
    this.queue = new WriteQueue(db);
    this.points = new PointsService(this.queue, clock, async (trx, community, _place, levelUps) => {
      for (const l of levelUps) await markAnnounced(trx, community.id, l.personId, l.level, this.clock.now().toISOString());
    });
  }

  /** Runs the whole import in one transaction: it commits entirely or not at all. */
  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.queue.submit(work);
  }
}
