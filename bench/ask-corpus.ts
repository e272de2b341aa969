/**
 * A deterministic corpus of solved questions for bench/ask.ts: developer questions about ~60
 * technologies, each about one of ~2 400 code identifiers (camelCase, snake_case, `ns::name`,
 * ERR_CODES), in English (85 %), German, French, Russian and Japanese, with answers of two or three
 * sentences — roughly what a busy community's help channels solve over some years.
 */
export interface BenchEntry {
  title: string;
  question: string;
  answer: string;
}

const TECH = "react node python rust go docker kubernetes postgres mysql redis kafka nginx webpack vite jest vitest typescript java spring django flask fastapi rails laravel swift kotlin android ios flutter electron deno bun graphql grpc terraform ansible aws gcp azure linux bash git github gitlab jenkins cmake cpp qt opencv pandas numpy pytorch tensorflow elasticsearch mongodb sqlite prisma sequelize express nextjs vue angular svelte tailwind".split(" ");
const VERBS = "fetch load parse render update create delete merge build resolve connect read write sync cache validate encode decode format sort filter map reduce watch spawn bind mount".split(" ");
const NOUNS = "user session token config state buffer stream socket request response route module plugin index schema table record column event handler queue worker pool thread file path image layout".split(" ");
const ERRORS = "ERR_MODULE_NOT_FOUND ECONNREFUSED ETIMEDOUT EADDRINUSE ENOENT EACCES SIGSEGV OOMKilled CrashLoopBackOff ERR_REQUIRE_ESM E11000 ORA-00942 SQLSTATE_40001 404 500 502".split(" ");
const FILLER = "after upgrading to the latest version it suddenly stops working and I get an error in the logs every time I run it locally but not in production".split(" ");

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);

/** The identifier `i` (0 ≤ i < 2 400): its style follows from i, so the corpus and the queries agree. */
export function identifier(i: number): string {
  const v = VERBS[i % VERBS.length]!;
  const n = NOUNS[Math.floor(i / VERBS.length) % NOUNS.length]!;
  const tech = TECH[i % TECH.length]!;
  switch (i % 4) {
    case 0:
      return `${v}${cap(n)}`;
    case 1:
      return `${v}_${n}_${i % 97}`;
    case 2:
      return `${tech}::${n}_${v}`;
    default:
      return `${v}${cap(n)}${cap(tech)}`;
  }
}
export const IDENTIFIERS = 2_400;

/** Solved question `i` of the corpus (the same for the same `i`, always). */
export function benchEntry(i: number): BenchEntry {
  const r = rng(i * 7919 + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const tech = pick(TECH);
  // Identifiers skew towards the first ones, as real questions do towards popular APIs.
  const id = identifier(Math.floor(r() * r() * IDENTIFIERS));
  const err = pick(ERRORS);
  const filler = () => Array.from({ length: 6 + Math.floor(r() * 10) }, () => pick(FILLER)).join(" ");
  const lang = r();
  if (lang < 0.05) {
    return {
      title: `${id} wirft ${err} in ${tech}`,
      question: `Seit dem Update auf die neue Version bekomme ich bei ${id} immer ${err}. Größe der Daten ist klein, trotzdem schlägt es fehl. Weiß jemand, warum?`,
      answer: `Das liegt an der geänderten Konfiguration von ${tech}: setze die Option für ${pick(NOUNS)} explizit und starte den Dienst neu. Danach funktioniert ${id} wieder.`,
    };
  }
  if (lang < 0.1) {
    return {
      title: `Erreur ${err} avec ${id} sous ${tech}`,
      question: `Depuis la mise à jour, ${id} échoue avec ${err}. Les données sont correctes et la requête est simple. Une idée ?`,
      answer: `Le paramètre ${pick(NOUNS)} de ${tech} a changé de valeur par défaut : définis-le explicitement et redémarre. Vérifie aussi l'encodage des caractères accentués.`,
    };
  }
  if (lang < 0.13) {
    return {
      title: `${id} падает с ошибкой ${err} в ${tech}`,
      question: `После обновления ${tech} вызов ${id} всегда возвращает ${err}. Что делать?`,
      answer: `Нужно явно указать параметр ${pick(NOUNS)} в конфигурации и перезапустить сервис; утечка памяти тоже исчезнет.`,
    };
  }
  if (lang < 0.15) {
    return {
      title: `${tech}で${id}が${err}になる`,
      question: `アップデート後に${id}を呼ぶと${err}が発生します。設定ファイルは変更していません。`,
      answer: `${tech}の既定値が変わりました。${pick(NOUNS)}の設定を明示して再起動してください。文字化けも直ります。`,
    };
  }
  const verb = pick(VERBS);
  const noun = pick(NOUNS);
  const titles = [
    `${id} throws ${err} after upgrading ${tech}`,
    `How do I ${verb} the ${noun} with ${id} in ${tech}?`,
    `${tech}: ${id} returns undefined when the ${noun} is empty`,
    `Why does ${id} ${verb} the ${noun} twice?`,
  ];
  return {
    title: pick(titles),
    question: `I call ${id} to ${verb} the ${noun} in my ${tech} app, ${filler()}. The error is ${err}. ${filler()}. What am I missing?`,
    answer: `${cap(tech)} changed how ${id} handles the ${noun}: pass the ${pick(NOUNS)} explicitly, or ${pick(VERBS)} it before you ${verb}. ${cap(filler())}; after that ${err} is gone.`,
  };
}

/** Query `i` of the bench: what members type into /ask — an identifier, a few title words, a whole question, an error code. */
export function benchQuery(i: number, entries: number): string {
  const r = rng(i * 104_729 + 17);
  const e = benchEntry(Math.floor(r() * entries));
  const words = e.title.split(/\s+/);
  switch (i % 5) {
    case 0:
      return identifier(Math.floor(r() * r() * IDENTIFIERS));
    case 1:
      return words.slice(-3).join(" ");
    case 2:
      return e.title;
    case 3:
      return `${ERRORS[Math.floor(r() * ERRORS.length)]} ${TECH[Math.floor(r() * TECH.length)]}`;
    default:
      return `how to ${VERBS[i % VERBS.length]} ${NOUNS[i % NOUNS.length]} error`;
  }
}
