/**
 * Waits for `work`, but no longer than `ms`: the one timeout race the adapters use wherever a
 * platform gives them a deadline (Discord's and Slack's 3-second windows, a directory lookup's
 * budget). `work` is not cancelled — it goes on and its value can still be awaited — the caller
 * only stops waiting for it. A rejection of `work` within the time is rethrown.
 *
 * The timer is cleared as soon as either side settles, so nothing is left pending, and it is
 * unref'd: a deadline on its own never keeps the process alive (the work it bounds does, if it is
 * real I/O).
 *
 * @example
 * const quick = await within(engine.command(event), 1_500);
 * if (quick === "timed-out") await interaction.deferReply();
 * else await interaction.reply(render(quick.value));
 */
export type Within<T> = { value: T } | "timed-out";

export async function within<T>(work: Promise<T>, ms: number): Promise<Within<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"timed-out">((resolve) => {
    timer = setTimeout(() => resolve("timed-out"), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
