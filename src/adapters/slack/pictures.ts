import { webApi } from "@slack/bolt";
import { z } from "zod";
import type { Reply, ReplyAttachment } from "../../core/reply.js";
import { mrkdwn } from "./mrkdwn.js";

/**
 * A reply's pictures on Slack, uploaded the way Slack's files.uploadV2 helper does it, one step at
 * a time (docs.slack.dev/reference/methods/files.getUploadURLExternal, …completeUploadExternal):
 *
 *   1. `files.getUploadURLExternal` with the file name, its length and the alt text → an
 *      `upload_url` and a `file_id`, per picture;
 *   2. a POST of the bytes to that URL (Slack answers 200);
 *   3. one `files.completeUploadExternal` with every `{id, title}`, sharing them into the channel
 *      (and thread) the reply went to.
 *
 * The steps are spelt out rather than left to `client.files.uploadV2` for two reasons: the upload
 * POST goes to a URL Slack handed back, and this never sends the bot token there (the helper adds
 * it when asked to); and the method reference names the alt text `alt_txt` while @slack/web-api
 * sends `alt_text`, so both are sent (Slack ignores arguments it does not know).
 *
 * Slack cannot attach a file to an ephemeral message, so a picture for a private answer goes to the
 * member's direct messages with the bot, with the answer's text as its comment (docs/pictures.md).
 * Uploading needs the `files:write` scope, and into a channel the bot must be a member of it; a
 * failed upload is reported to the caller, and the text answer has gone out regardless.
 */
const uploadUrlAnswer = z.object({ upload_url: z.string().url(), file_id: z.string().min(1) });

/** Where the pictures go: a channel (or DM), optionally a thread, optionally with a comment. */
export interface PictureTarget {
  channel: string;
  threadTs?: string | undefined;
  /** Slack mrkdwn shown with the files; used when the pictures stand alone (a direct message). */
  initialComment?: string;
}

/** For a POST to Slack's upload URL, which is not a Web API method and so not the client's business. */
const UPLOAD_TIMEOUT_MS = 15_000;

/** Uploads the pictures and shares them into `target`; resolves with the Slack file ids. */
export async function uploadPictures(client: webApi.WebClient, pictures: readonly ReplyAttachment[], target: PictureTarget): Promise<string[]> {
  const files: { id: string; title: string }[] = [];
  for (const picture of pictures) {
    const bytes = Buffer.from(picture.data, "base64");
    const answer = uploadUrlAnswer.parse(
      await client.apiCall("files.getUploadURLExternal", { filename: picture.name, length: bytes.length, alt_txt: picture.description, alt_text: picture.description }),
    );
    const res = await fetch(answer.upload_url, {
      method: "POST",
      headers: { "content-type": picture.contentType },
      body: bytes,
      redirect: "error",
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    if (res.status !== 200) throw new webApi.WebAPIPlatformError({ ok: false, error: `upload_failed_http_${res.status}` });
    files.push({ id: answer.file_id, title: picture.name });
  }
  await client.files.completeUploadExternal({
    files: files as [{ id: string; title: string }],
    channel_id: target.channel,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    ...(target.initialComment ? { initial_comment: target.initialComment } : {}),
  });
  return files.map((f) => f.id);
}

/** Where an answer to a member was shown, for {@link sharePictures}. */
export interface AnswerPlace {
  team: string;
  /** The member who asked: a private answer's pictures go to their direct messages. */
  user: string;
  channel: string;
  threadTs?: string | undefined;
}

/**
 * The pictures of an answer a member asked for (a command, a button, a form): into the same channel
 * (or thread) for a public answer; for a private one, which Slack cannot give files, into the
 * member's direct messages with the bot, with the answer's text so the message stands on its own.
 * Does nothing for a reply without pictures.
 */
export async function sharePictures(client: webApi.WebClient, reply: Reply, where: AnswerPlace): Promise<void> {
  const pictures = reply.attachments ?? [];
  if (!pictures.length) return;
  if (!reply.ephemeral) {
    await uploadPictures(client, pictures, { channel: where.channel, threadTs: where.threadTs });
    return;
  }
  const opened = await client.conversations.open({ users: where.user });
  const dm = opened.channel?.id;
  if (!dm) throw new webApi.WebAPIPlatformError({ ok: false, error: "no_channel_in_answer" });
  await uploadPictures(client, pictures, { channel: dm, initialComment: mrkdwn(reply.text, where.team) });
}
