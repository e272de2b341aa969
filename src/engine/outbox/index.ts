/**
 * The engine's durable outbox: `OutboxWriter` writes what to say inside the decision's
 * transaction; `OutboxDelivery` sends it through each platform's `Outbox` and marks it delivered
 * once. See docs/outbox.md.
 */
export { type OutboxEntry, type OutboxMessage, type OutboxOperation, placeDedupeKey } from "./outbox-entry.js";
export { type EnqueueResult, OutboxWriter, type PostEverywhereInput } from "./outbox-writer.js";
export { type DeliveryReport, OutboxDelivery, type OutboxDeliveryOptions } from "./outbox-delivery.js";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";
export { ManualTimer, systemTimer, type Timer } from "./timer.js";
export { type OutboxBacklog, outboxBacklog, type OutboxRow, type OutboxState } from "./outbox.repo.js";
