import type { Kysely } from "kysely";
import type { Database } from "../../../src/db/schema.js";

/** One solved question of the fixed corpus: `id` names it (`q<id>`), the rest is what kb_entries holds. */
export interface CorpusEntry {
  id: string;
  title: string;
  question: string;
  answer: string;
}

/**
 * ~30 solved questions: English, German, French, Russian and Japanese, and code identifiers
 * (`useEffect`, `std::vector`, `ERR_MODULE_NOT_FOUND`, snake_case). Each query of {@link QUERIES}
 * names the question it must find first.
 */
export const CORPUS: CorpusEntry[] = [
  { id: "react-effect-twice", title: "useEffect runs twice on mount", question: "My useEffect hook fires two times when the component mounts in development. Why?", answer: "That is React 18 StrictMode: it mounts, unmounts and mounts again in development to surface missing cleanups. Return a cleanup function from the effect." },
  { id: "react-state-stale", title: "State is stale inside setInterval callback", question: "The counter inside setInterval always logs 0 even though I call setCount.", answer: "The callback closes over the first render's value. Use the functional update setCount(c => c + 1) or keep the value in a ref." },
  { id: "cpp-vector-iter", title: "Iterator invalidated after push_back on std::vector", question: "I keep an iterator into a std::vector and after push_back it crashes with a segfault.", answer: "push_back may reallocate the vector's storage, which invalidates every iterator and reference. Call reserve() first or keep indices instead." },
  { id: "cpp-unique-ptr", title: "Cannot copy std::unique_ptr into a container", question: "Compiler error: use of deleted function when I push a unique_ptr into a list.", answer: "unique_ptr is move-only: use std::move(ptr) or emplace_back." },
  { id: "node-esm", title: "ERR_MODULE_NOT_FOUND when importing a local file", question: "Node throws ERR_MODULE_NOT_FOUND for import './utils' in an ESM project.", answer: "ES modules need the full path with the extension: import './utils.js'. TypeScript keeps the .js in the source for NodeNext resolution." },
  { id: "node-require-esm", title: "require() of ES Module not supported", question: "ERR_REQUIRE_ESM after upgrading a dependency to its latest major version.", answer: "The package became ESM-only. Use dynamic import() from CommonJS or switch your project to type module." },
  { id: "py-snake", title: "Pydantic field alias for camelCase JSON", question: "My API sends userName but the model field is user_name and validation fails.", answer: "Declare user_name: str = Field(alias='userName') and set populate_by_name so both spellings work." },
  { id: "py-venv", title: "pip installs into the wrong Python", question: "After pip install the module is still missing when I run my script.", answer: "Use python -m pip install so pip belongs to the interpreter you run, ideally inside a virtual environment (python -m venv .venv)." },
  { id: "rust-borrow", title: "cannot borrow as mutable because it is also borrowed as immutable", question: "The borrow checker rejects pushing to a Vec while I hold a reference to its first element.", answer: "Finish using the shared reference before the mutation, or clone the value you need; non-lexical lifetimes end the borrow at its last use." },
  { id: "git-rebase", title: "Undo a git rebase that went wrong", question: "I rebased onto main and lost commits, how do I get back?", answer: "git reflog shows where the branch was before; git reset --hard HEAD@{n} returns to it." },
  { id: "docker-dns", title: "Docker container cannot resolve DNS names", question: "Inside the container curl says could not resolve host, on the host it works.", answer: "The daemon copied a resolv.conf pointing at a local stub resolver. Set dns in /etc/docker/daemon.json to a reachable server and restart dockerd." },
  { id: "pg-deadlock", title: "Postgres deadlock detected between two updates", question: "Two transactions update the same rows in different order and one fails with deadlock detected.", answer: "Lock rows in a consistent order, for example by primary key with SELECT … FOR UPDATE ORDER BY id, and retry on serialization failures." },
  { id: "k8s-crashloop", title: "Pod stuck in CrashLoopBackOff", question: "My kubernetes pod restarts all the time with CrashLoopBackOff.", answer: "kubectl logs --previous shows the crashed container's output; usually a missing environment variable or a failing liveness probe." },
  { id: "ts-narrowing", title: "TypeScript does not narrow a union after typeof check in callback", question: "Inside array.map the variable is string | undefined again although I checked it.", answer: "Narrowing does not cross function boundaries for let variables: copy it into a const before the callback." },
  { id: "css-center", title: "Center a div horizontally and vertically", question: "What is the simplest way to center an element in its parent?", answer: "display: grid; place-items: center on the parent, or flexbox with justify-content and align-items center." },
  { id: "de-umlaut", title: "Umlaute werden in der Datenbank falsch gespeichert", question: "Wörter wie Größe und Übermäßig erscheinen als Fragezeichen in MySQL.", answer: "Die Tabelle nutzt latin1: stelle Verbindung und Tabelle auf utf8mb4 um, dann werden Umlaute korrekt gespeichert." },
  { id: "de-zeitzone", title: "Zeitzone falsch bei Sommerzeit", question: "Unsere Termine verschieben sich nach der Zeitumstellung um eine Stunde.", answer: "Speichere Zeitpunkte in UTC und rechne erst bei der Anzeige in Europe/Berlin um; luxon kennt die Regeln der Sommerzeit." },
  { id: "fr-encodage", title: "Problème d'encodage des caractères accentués", question: "Les lettres é, è et à s'affichent mal dans mon fichier CSV exporté.", answer: "Excel lit le CSV en Windows-1252 : ajoute un BOM UTF-8 au début du fichier ou exporte directement en UTF-8 avec BOM." },
  { id: "fr-requete", title: "Requête lente malgré l'index", question: "Pourquoi ma requête SQL reste lente alors que la colonne est indexée ?", answer: "La fonction appliquée à la colonne empêche l'utilisation de l'index : crée un index sur l'expression ou réécris la condition." },
  { id: "ru-memory", title: "Утечка памяти в приложении на Node.js", question: "Потребление памяти растёт каждый час, пока процесс не падает.", answer: "Снимите heap snapshot в Chrome DevTools и сравните два снимка: обычно виноваты обработчики событий, которые никто не удаляет." },
  { id: "ru-encoding", title: "Кириллица превращается в кракозябры", question: "При чтении файла русский текст выглядит как набор странных символов.", answer: "Файл сохранён в кодировке windows-1251, а читается как UTF-8: укажите кодировку явно при чтении." },
  { id: "ja-mojibake", title: "文字化けが発生する", question: "CSVファイルを開くと日本語が文字化けしてしまいます。", answer: "ファイルの文字コードがShift_JISです。UTF-8で保存し直すか、読み込み時に文字コードを指定してください。" },
  { id: "ja-deploy", title: "デプロイ後に環境変数が読み込まれない", question: "本番環境で環境変数がundefinedになります。", answer: "ビルド時に埋め込まれる変数は再ビルドが必要です。実行時の設定は process.env から読み込んでください。" },
  { id: "go-nil-map", title: "assignment to entry in nil map", question: "Go panics with assignment to entry in nil map when I add a key.", answer: "A declared map is nil until made: m := make(map[string]int) before writing to it." },
  { id: "sql-snake", title: "Column created_at_utc not found after migration", question: "The query fails: no such column created_at_utc, but the migration ran.", answer: "The migration ran against another database file; print the connection string and run it against the one the app opens." },
  { id: "webpack-alias", title: "Webpack alias not resolved in Jest tests", question: "Imports with @components work in the build but Jest cannot find the module.", answer: "Jest does not read the webpack config: map the alias with moduleNameMapper in jest.config.js." },
  { id: "cors", title: "CORS error: No Access-Control-Allow-Origin header", question: "The browser blocks my fetch to the API with a CORS error.", answer: "The API must answer the preflight OPTIONS request and send Access-Control-Allow-Origin for your origin; a proxy in development also works." },
  { id: "ssh-perm", title: "SSH Permission denied (publickey)", question: "git push fails with permission denied publickey on a new laptop.", answer: "Generate a key with ssh-keygen -t ed25519, add the public key to your account and check ssh -T git@github.com." },
  { id: "java-npe", title: "NullPointerException in Spring bean constructor", question: "An autowired field is null inside the constructor of my Spring component.", answer: "Fields are injected after construction: use constructor injection or move the code to a @PostConstruct method." },
  { id: "regex-greedy", title: "Regex matches too much with .*", question: "My pattern <b>.*</b> matches from the first to the last tag.", answer: "Make the quantifier lazy: .*? stops at the first closing tag. Better still, use an HTML parser." },
];

/** Query → the question it must return first. `sqliteOnly`: Postgres finds it differently (see docs). */
export const QUERIES: { query: string; first: string; sqliteOnly?: boolean }[] = [
  { query: "useEffect", first: "react-effect-twice" },
  { query: "why does useEffect run twice", first: "react-effect-twice" },
  { query: "std::vector iterator", first: "cpp-vector-iter" },
  { query: "ERR_MODULE_NOT_FOUND", first: "node-esm" },
  { query: "created_at_utc", first: "sql-snake" },
  { query: "user_name alias", first: "py-snake" },
  { query: "Umlaute Datenbank", first: "de-umlaut" },
  { query: "Größe", first: "de-umlaut" },
  { query: "Sommerzeit", first: "de-zeitzone" },
  { query: "encodage caractères accentués", first: "fr-encodage" },
  { query: "requete lente index", first: "fr-requete" },
  { query: "утечка памяти", first: "ru-memory" },
  { query: "кириллица", first: "ru-encoding" },
  { query: "文字化け", first: "ja-mojibake" },
  { query: "環境変数", first: "ja-deploy" },
  { query: "CrashLoopBackOff", first: "k8s-crashloop" },
  { query: "deadlock postgres", first: "pg-deadlock" },
  { query: "nil map", first: "go-nil-map" },
  { query: "borrow mutable", first: "rust-borrow" },
];

export const COMMUNITY = "c-kb";

/** Writes the corpus as the accepted-answers capability would: rows in kb_entries, nothing else. */
export async function writeCorpus(db: Kysely<Database>, communityId = COMMUNITY, entries: readonly CorpusEntry[] = CORPUS): Promise<void> {
  await db
    .insertInto("kb_entries")
    .values(
      entries.map((e, i) => ({
        community_id: communityId,
        question_key: `discord:msg:${communityId}-${e.id}`,
        title: e.title,
        question_text: e.question,
        answer_text: e.answer,
        question_link: `https://discord.com/channels/1/2/${1000 + i}`,
        answer_link: `https://discord.com/channels/1/2/${2000 + i}`,
        answer_key: `discord:msg:${communityId}-${e.id}-answer`,
        channel_key: "discord:1:2",
        asker_id: "discord:1:asker",
        answer_author_id: "discord:1:helper",
        solved_at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      })),
    )
    .execute();
}

export const idOf = (questionKey: string, communityId = COMMUNITY) => questionKey.replace(`discord:msg:${communityId}-`, "");
