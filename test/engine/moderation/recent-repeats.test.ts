import { describe, expect, it } from "vitest";
import { RecentRepeats } from "../../../src/engine/moderation/recent-repeats.js";

const MINUTE = 60_000;
const general = RecentRepeats.channel("discord:g1:general");
const help = RecentRepeats.channel("discord:g1:help");
const random = RecentRepeats.channel("discord:g1:random");
const key = (member = "m1", hash = "h1", community = "c1") => RecentRepeats.key(community, member, hash);

describe("RecentRepeats", () => {
  it("GIVEN nothing seen THEN a message has no repeats", () => {
    expect(new RecentRepeats().count(key(), 0, 10 * MINUTE, general)).toEqual({ repeats: 0, otherChannels: 0 });
  });

  it("GIVEN a member's text seen in two channels within the window THEN both count, and the other channels are counted once each", () => {
    const recent = new RecentRepeats();
    recent.add(key(), 1 * MINUTE, general);
    recent.add(key(), 2 * MINUTE, help);
    recent.add(key(), 3 * MINUTE, help);
    expect(recent.count(key(), 0, 4 * MINUTE, general)).toEqual({ repeats: 3, otherChannels: 1 });
    expect(recent.count(key(), 0, 4 * MINUTE, random)).toEqual({ repeats: 3, otherChannels: 2 });
  });

  it("GIVEN sightings outside [since, until] THEN they do not count", () => {
    const recent = new RecentRepeats();
    recent.add(key(), 1 * MINUTE, help);
    recent.add(key(), 20 * MINUTE, help);
    expect(recent.count(key(), 10 * MINUTE, 15 * MINUTE, general)).toEqual({ repeats: 0, otherChannels: 0 });
    expect(recent.count(key(), 10 * MINUTE, 20 * MINUTE, general)).toEqual({ repeats: 1, otherChannels: 1 });
  });

  it("GIVEN the same text by another member, in another community, or another text THEN it is a different key", () => {
    const recent = new RecentRepeats();
    recent.add(key(), MINUTE, general);
    expect(recent.count(key("m2"), 0, 2 * MINUTE, general).repeats).toBe(0);
    expect(recent.count(key("m1", "h1", "c2"), 0, 2 * MINUTE, general).repeats).toBe(0);
    expect(recent.count(key("m1", "h2"), 0, 2 * MINUTE, general).repeats).toBe(0);
    // Parts are separated: ("m1", "h1") is not ("m", "1h1").
    expect(key("m", "1h1")).not.toBe(key("m1", "h1"));
  });

  it("GIVEN a storm of one text THEN only the latest 20 sightings are kept", () => {
    const recent = new RecentRepeats();
    for (let i = 0; i < 30; i++) recent.add(key(), i, i < 10 ? help : general);
    expect(recent.count(key(), 0, 100, general)).toEqual({ repeats: 20, otherChannels: 0 });
  });

  it("GIVEN a key seen a generation ago and again since THEN it is carried over and survives the next generation", () => {
    const recent = new RecentRepeats(3);
    recent.add(key("busy"), 1, help);
    for (const m of ["a", "b"]) recent.add(key(m), 2, general); // the generation turns: busy is old
    recent.add(key("busy"), 3, general); // carried into the young generation
    for (const m of ["c", "d"]) recent.add(key(m), 4, general); // turns again: busy is old, with both sightings
    expect(recent.count(key("busy"), 0, 10, random)).toEqual({ repeats: 2, otherChannels: 2 });
    for (const m of ["e", "f", "g"]) recent.add(key(m), 5, general); // turns once more, without it: forgotten
    expect(recent.count(key("busy"), 0, 10, random).repeats).toBe(0);
  });

  it("GIVEN clear() (a rolled-back batch) THEN everything is forgotten", () => {
    const recent = new RecentRepeats();
    recent.add(key(), MINUTE, general);
    recent.clear();
    expect(recent.count(key(), 0, 2 * MINUTE, general).repeats).toBe(0);
  });
});
