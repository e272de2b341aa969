import { memberText, mention, type Reply, time } from "../../core/reply.js";
import type { FeedbackRow } from "./feedback.repo.js";
import { excerpt } from "./feedback-rules.js";

/*
 * What feedback looks like wherever it is shown: the organizers' card (and what it becomes once
 * answered or closed), the member's DMs, and the lines of `/feedback list` and `/feedback mine`.
 * Everything a member or organizer typed is member text, never markup or a mention.
 */

const sender = (f: FeedbackRow) => mention({ id: f.member_id, displayName: f.member_name });
const decider = (f: FeedbackRow) => mention({ id: f.decided_by ?? "", ...(f.decided_by_name ? { displayName: f.decided_by_name } : {}) });

/** Buttons are `feedback:answer:<id>` and `feedback:close:<id>`. */
export function feedbackCard(f: FeedbackRow): Reply {
  const lines = [`📝 Feedback #${f.number} from ${sender(f)} (${time(new Date(f.created_at), "short")}):`, memberText(f.text)];
  if (f.state === "open") lines.push("Organizers: answer it (the member gets your answer by direct message) or close it.");
  if (f.state === "answered") lines.push(`✅ Answered by ${decider(f)} ${time(new Date(f.decided_at!), "short")}: ${memberText(f.answer ?? "")}`);
  if (f.state === "closed") lines.push(`Closed by ${decider(f)} ${time(new Date(f.decided_at!), "short")}${f.reason ? `: ${memberText(f.reason)}` : "."}`);
  return {
    title: `Feedback #${f.number}`,
    text: lines.join("\n"),
    tone: f.state === "open" ? "info" : f.state === "answered" ? "success" : "warning",
    ...(f.state === "open"
      ? {
          buttons: [
            { id: `feedback:answer:${f.id}`, label: "Answer", style: "primary" as const },
            { id: `feedback:close:${f.id}`, label: "Close", style: "secondary" as const },
          ],
        }
      : {}),
  };
}

/** The member's DM with the organizers' answer. */
export function answeredDm(f: FeedbackRow): Reply {
  return {
    title: `Your feedback #${f.number} was answered`,
    text: [`💬 ${decider(f)} answered your feedback #${f.number} (“${excerpt(f.text)}”):`, memberText(f.answer ?? "")].join("\n"),
    tone: "success",
  };
}

/** The member's DM when their feedback is closed without an answer. */
export function closedDm(f: FeedbackRow): Reply {
  const why = f.reason ? `, saying: ${memberText(f.reason)}` : " without a written answer";
  return { text: `Your feedback #${f.number} (“${excerpt(f.text)}”) was closed by the organizers${why}. Thanks for sending it.`, tone: "info" };
}

/** One line of `/feedback list`. */
export function listLine(f: FeedbackRow): string {
  const head = `#${f.number} · ${f.state} · ${sender(f)} · ${time(new Date(f.created_at), "short")} — “${excerpt(f.text, 120)}”`;
  if (f.state === "open") return head;
  return `${head} (${f.state} by ${decider(f)} ${time(new Date(f.decided_at!), "short")})`;
}

/** One entry of `/feedback mine`: its state and, once answered, the answer in full. */
export function mineLine(f: FeedbackRow): string {
  const head = `#${f.number} · ${f.state} · sent ${time(new Date(f.created_at), "short")} — “${excerpt(f.text, 120)}”`;
  if (f.state === "answered") return `${head}\n   Answer (${time(new Date(f.decided_at!), "short")}): ${memberText(f.answer ?? "")}`;
  if (f.state === "closed") return `${head}\n   Closed ${time(new Date(f.decided_at!), "short")}${f.reason ? `: ${memberText(f.reason)}` : " without a written answer"}`;
  return head;
}
