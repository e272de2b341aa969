/**
 * The honors a digest awards (the seed's certificates of honour). Each is decided from the week's
 * figures, and recorded once per community, week and honor (`digest_honors`), so a second run of
 * the same week — another slot after a settings change, a retry — shows what was awarded, never a
 * different winner.
 */
export type HonorName = "contributor" | "helpful" | "newcomer" | "attendee";

export interface Honor {
  honor: HonorName;
  memberId: string;
  displayName: string;
  /** Points, thanks received or talks attended in the week. */
  value: number;
}

export const HONOR_TITLES: Record<HonorName, { title: string; emoji: string; value(v: number): string }> = {
  contributor: { title: "Contributor of the week", emoji: "🏆", value: (v) => `${v} points` },
  helpful: { title: "Most helpful", emoji: "🤝", value: (v) => `thanked ${v} time${v === 1 ? "" : "s"}` },
  newcomer: { title: "Best newcomer", emoji: "🌱", value: (v) => `${v} points` },
  attendee: { title: "Most talks attended", emoji: "🎤", value: (v) => `${v} talk${v === 1 ? "" : "s"}` },
};

export const HONOR_ORDER: readonly HonorName[] = ["contributor", "helpful", "newcomer", "attendee"];

type Candidate = Omit<Honor, "honor"> | undefined;

/** The week's winners, in {@link HONOR_ORDER}, for the enabled honors with a winner above 0. */
export function decideHonors(enabled: readonly HonorName[], candidates: Record<HonorName, Candidate>): Honor[] {
  return HONOR_ORDER.filter((h) => enabled.includes(h))
    .map((honor) => {
      const c = candidates[honor];
      return c && c.value > 0 ? { honor, ...c } : undefined;
    })
    .filter((h): h is Honor => h !== undefined);
}
