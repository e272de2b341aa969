/**
 * Pictures for replies: PNGs drawn with @napi-rs/canvas in the shipped DejaVu Sans, returned as
 * neutral {@link ReplyAttachment}s that every adapter knows how to send. A shared engine module,
 * not a capability: commands and jobs call these, adapters never draw. Each renderer is
 * synchronous and takes a few milliseconds (docs/pictures.md).
 */
export type { ReplyAttachment } from "../../core/reply.js";
export { type LeaderboardPictureInput, LEADERBOARD_PICTURE_ROWS, renderLeaderboard } from "./leaderboard-picture.js";
export { type RankCardInput, renderRankCard } from "./rank-card.js";
export { renderWeeklyChart, type WeeklyChartInput } from "./weekly-chart.js";
export { registerFonts } from "./fonts.js";
