// search.html: the book's search (see ext/newsarchive/search.py and search_entries.py).
// The address stays Sphinx's: search.html?q=WORDS[&year=YYYY][&tag=SLUG][&platform=KEY]
// [&competition=PLATFORM/ID], so the theme's search box and old links work and a search
// (with its filters) can be shared.
//
// One JSON file holds every card and intro section of the archive. Its text and the
// query are folded the same way (NFKC, which also folds full and half widths, then lower
// case), and the words are matched as written:
// - issues holding every word exactly come first (the whole phrase in one card first);
// - issues that hold a word only in pieces (画像 … コンペ, as a word segmenter splits
//   it) follow, in their own labelled group.
// Every value is written with textContent; highlights are <mark> elements around text.
const PAGE_SIZE = 20;
const HITS_SHOWN = 3;
const MAX_WORDS = 8;
const MAX_QUERY = 200; // characters searched; a longer query is cut, and the page says so
const WINDOW = 160; // characters of an excerpt or commentary shown around the first match
const CARD = 0;

const root = document.getElementById("wkn-search");
const form = root.querySelector("form");
const input = root.querySelector("#wkn-search-q");
const yearSelect = form.elements.year;
const tagSelect = form.elements.tag;
const platformSelect = form.elements.platform;
const competitionSelect = form.elements.competition;
// The filters, in the order of the form; each is a select and a URL parameter of its name.
const filters = [yearSelect, tagSelect, platformSelect, competitionSelect];
const status = root.querySelector(".wkn-search-status[role=status]");
const more = root.querySelector(".wkn-search-more");
const groups = {
  exact: {
    heading: root.querySelector("#wkn-search-exact"),
    list: root.querySelector(".wkn-search-results[data-group=exact]"),
  },
  apart: {
    heading: root.querySelector("#wkn-search-apart"),
    list: root.querySelector(".wkn-search-results[data-group=apart]"),
  },
};
const entriesUrl = new URL(root.dataset.entries, document.baseURI);
const bookRoot = new URL(root.dataset.root || "./", document.baseURI);

let issues = [];
let tagLabels = {};
let platformLabels = {}; // platform key -> name
let competitionLabels = {}; // competition key -> name
let current = { results: [], shown: 0, words: [], terms: [] };

// -- folding -------------------------------------------------------------------------

function fold(text) {
  return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ");
}

// The folded text and, for each of its characters, where it came from in the original,
// so matches found in folded text can be marked in the text shown.
function foldMapped(text) {
  let folded = "";
  const origin = [];
  let position = 0;
  for (const char of String(text || "")) {
    let piece = char.normalize("NFKC").toLowerCase();
    if (/^\s+$/.test(piece)) piece = folded.endsWith(" ") ? "" : " ";
    if (/^\p{M}/u.test(piece) && folded) {
      // A half-width sound mark (ｶﾞ) joins the character before it, as NFKC does.
      const last = folded.slice(-1);
      const joined = (last + piece).normalize("NFC");
      if (joined.length === 1) {
        folded = folded.slice(0, -1) + joined;
        position += char.length;
        continue;
      }
    }
    for (let i = 0; i < piece.length; i++) origin.push(position);
    folded += piece;
    position += char.length;
  }
  origin.push(position);
  return { folded, origin };
}

// -- the index -----------------------------------------------------------------------

function prepare(data) {
  tagLabels = data.tags || {};
  platformLabels = data.platforms || {};
  const competitions = (data.competitions || []).map(([key, name]) => {
    competitionLabels[key] = name;
    return key;
  });
  issues = (data.issues || []).map((issue) => {
    const prepared = {
      number: issue.n,
      date: issue.date,
      year: String(issue.date || "").slice(0, 4),
      title: issue.title,
      url: new URL(issue.page, bookRoot).href,
      entries: [],
    };
    prepared.entries = (issue.entries || []).map(([kind, anchor, title, site, excerpt, text, tags, mentions]) => {
      const keys = (mentions || []).map((index) => competitions[index]).filter(Boolean);
      return {
        issue: prepared,
        kind,
        anchor,
        title,
        site,
        excerpt,
        text,
        tags: tags || [],
        // The competitions the entry (a card, or the prose of a section) mentions, and their platforms.
        competitions: keys,
        platforms: [...new Set(keys.map(platformOf))],
        // Fields apart: a match never runs from one into the next.
        haystack: [title, site, excerpt, text].map(fold).join("\u0000"),
      };
    });
    return prepared;
  });
}

let loading = null;
function load() {
  if (!loading) {
    loading = fetch(entriesUrl)
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => {
        prepare(data);
        fillSelects();
        if (document.activeElement === competitionSelect) fillCompetitions();
      });
  }
  return loading;
}

// -- the query -----------------------------------------------------------------------

const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("ja", { granularity: "word" }) : null;

// Words of the query: "quoted phrases" kept whole, quotes otherwise ignored; words of
// punctuation alone are dropped (they would match everything or nothing).
function parseQuery(raw) {
  const cut = raw.length > MAX_QUERY;
  const folded = fold(raw.slice(0, MAX_QUERY)).trim();
  const words = [];
  for (const match of folded.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const word = (match[1] !== undefined ? match[1] : match[2]).trim();
    if (word && !/^[\p{P}\p{S}]+$/u.test(word) && !words.includes(word)) words.push(word);
  }
  return { words: words.slice(0, MAX_WORDS), cut: cut || words.length > MAX_WORDS };
}

// The pieces a word segmenter cuts a Japanese word into (none: the word is one word).
// Words of Latin letters, digits and signs are matched as typed, never in pieces.
function pieces(word) {
  if (!segmenter || word.includes(" ") || /^[\p{ASCII}]*$/u.test(word)) return [];
  const found = [];
  for (const segment of segmenter.segment(word)) {
    const piece = segment.segment;
    if (segment.isWordLike && !/^[\p{ASCII}]$/u.test(piece) && !found.includes(piece)) found.push(piece);
  }
  return found.length > 1 ? found : [];
}

// -- matching ------------------------------------------------------------------------

function wholeWord(haystack, word) {
  if (!/^[a-z0-9]/.test(word) && !/[a-z0-9]$/.test(word)) return true;
  let at = haystack.indexOf(word);
  while (at >= 0) {
    const before = haystack[at - 1] || " ";
    const after = haystack[at + word.length] || " ";
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    at = haystack.indexOf(word, at + 1);
  }
  return false;
}

// Every entry that holds a word or a piece of one: which words, which pieces.
function matchEntries(words, wordPieces) {
  const matched = [];
  const phrase = words.join(" ");
  for (const issue of issues) {
    for (const entry of issue.entries) {
      const exact = words.map((word) => entry.haystack.includes(word));
      const found = wordPieces.map((list) => list.map((piece) => entry.haystack.includes(piece)));
      if (!exact.some(Boolean) && !found.some((list) => list.some(Boolean))) continue;
      const all = exact.every(Boolean);
      matched.push({
        entry,
        exact,
        found,
        all,
        phrase: all && words.length > 1 && entry.haystack.includes(phrase),
        whole: all && words.every((word) => wholeWord(entry.haystack, word)),
      });
    }
  }
  return matched;
}

// Issues from matched entries, each in the exact group, the apart group, or neither.
function groupIssues(matched, words, keep) {
  const byIssue = new Map();
  for (const match of matched) {
    if (!keep(match.entry)) continue;
    const issue = match.entry.issue;
    if (!byIssue.has(issue)) byIssue.set(issue, []);
    byIssue.get(issue).push(match);
  }
  const exact = [];
  const apart = [];
  for (const [issue, hits] of byIssue) {
    const holds = words.map((_, i) => hits.some((hit) => hit.exact[i]));
    if (holds.every(Boolean)) {
      exact.push({ issue, hits, exact: true });
      continue;
    }
    const inPieces = words.map(
      (_, i) =>
        holds[i] ||
        (hits[0].found[i].length > 0 && hits[0].found[i].every((_, j) => hits.some((hit) => hit.found[i][j]))),
    );
    if (inPieces.every(Boolean)) apart.push({ issue, hits, exact: false });
  }
  return { exact, apart };
}

function rank(result) {
  const hits = result.hits;
  return [
    hits.some((hit) => hit.phrase) ? 1 : 0,
    hits.some((hit) => hit.all) ? 1 : 0,
    hits.some((hit) => hit.whole) ? 1 : 0,
    hits.filter((hit) => hit.all).length,
    hits.filter((hit) => hit.exact.some(Boolean)).length,
    result.issue.number,
  ];
}

function byRank(a, b) {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return 0;
}

function hitOrder(a, b) {
  const score = (hit) => (hit.all ? 2 : 0) + (hit.phrase ? 1 : 0);
  return score(b) - score(a) || b.exact.filter(Boolean).length - a.exact.filter(Boolean).length;
}

// -- filters -------------------------------------------------------------------------

function platformOf(key) {
  return String(key).split("/", 1)[0];
}

// The filters chosen, by name (year, tag, platform, competition); "" when not chosen.
function chosen() {
  return Object.fromEntries(filters.map((select) => [select.name, select.value]));
}

function keepFor({ year, tag, platform, competition }) {
  return (entry) =>
    (!year || entry.issue.year === year) &&
    (!tag || (entry.kind === CARD && entry.tags.includes(tag))) &&
    (!platform || entry.platforms.includes(platform)) &&
    (!competition || entry.competitions.includes(competition));
}

// An option's words, without its count.
function label(select, value) {
  switch (select) {
    case yearSelect:
      return value ? `${value}年` : "すべての年";
    case tagSelect:
      return value ? tagLabels[value] || value : "すべてのタグ";
    case platformSelect:
      return value ? platformLabels[value] || value : "すべてのプラットフォーム";
    default:
      return value ? competitionLabels[value] || value : "すべてのコンペ";
  }
}

function fillSelects() {
  const years = [...new Set(issues.map((issue) => issue.year).filter(Boolean))].sort().reverse();
  for (const year of years) yearSelect.append(new Option(label(yearSelect, year), year));
  for (const slug of Object.keys(tagLabels)) tagSelect.append(new Option(label(tagSelect, slug), slug));
  for (const [key, name] of Object.entries(platformLabels)) platformSelect.append(new Option(name, key));
}

// The competitions (hundreds of options) join the page when they are needed: when the
// list is about to be opened (focus, pointer) or an address names one. Every element of
// the page costs the browser time at each search, so a reader who never filters by
// competition does not pay for them. Grouped by platform (in the index's order), then
// sorted by name; their counts are written at once.
let competitionsFilled = false;
function fillCompetitions() {
  if (competitionsFilled || !issues.length) return;
  competitionsFilled = true;
  for (const [key, name] of Object.entries(platformLabels)) {
    const group = document.createElement("optgroup");
    group.label = name;
    group.dataset.platform = key;
    const keys = Object.keys(competitionLabels).filter((competition) => platformOf(competition) === key);
    keys.sort((a, b) => competitionLabels[a].localeCompare(competitionLabels[b], "ja") || (a < b ? -1 : 1));
    for (const competition of keys) group.append(new Option(label(competitionSelect, competition), competition));
    competitionSelect.append(group);
  }
  showPlatform();
  if (counted) updateCounts(...counted);
}

// A competition of another platform than the one chosen is not offered.
function showPlatform() {
  const platform = platformSelect.value;
  for (const group of competitionSelect.querySelectorAll("optgroup")) {
    group.hidden = Boolean(platform) && group.dataset.platform !== platform;
  }
}

// Each option says how many issues it would leave, the other filters kept: the option
// chosen, as many as are shown. A platform or a competition can only keep the
// entries that mention it, so only those are grouped again.
let counted = null; // what the counts were last computed from
function updateCounts(matched, words, shown) {
  counted = [matched, words, shown];
  const now = chosen();
  const mentioning = { platform: new Map(), competition: new Map() };
  for (const match of matched) {
    for (const [name, keys] of [
      ["platform", match.entry.platforms],
      ["competition", match.entry.competitions],
    ]) {
      for (const key of keys) {
        if (!mentioning[name].has(key)) mentioning[name].set(key, []);
        mentioning[name].get(key).push(match);
      }
    }
  }
  for (const select of filters) {
    const name = select.name;
    for (const option of select.options) {
      const value = option.value;
      const pool = value && mentioning[name] ? mentioning[name].get(value) || [] : matched;
      let n = value === now[name] ? shown : 0;
      if (value !== now[name] && pool.length) {
        const { exact, apart } = groupIssues(pool, words, keepFor({ ...now, [name]: value }));
        n = exact.length + apart.length;
      }
      setOption(option, `${label(select, value)} (${n})`, n === 0 && value !== now[name] && value !== "");
    }
  }
}

// Written only when it changed (remembered here, not read back from the page): the
// competition list has hundreds of options, and each change of one costs the browser.
const written = new WeakMap();
function setOption(option, text, disabled) {
  const last = written.get(option);
  if (last && last.text === text && last.disabled === disabled) return;
  if (!last || last.text !== text) option.textContent = text;
  if (!last || last.disabled !== disabled) option.disabled = disabled;
  written.set(option, { text, disabled });
}

function clearCounts() {
  counted = null;
  for (const select of filters) {
    for (const option of select.options) setOption(option, label(select, option.value), false);
  }
}

// -- drawing -------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function japaneseDate(iso) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return parts ? `${parts[1]}年${Number(parts[2])}月${Number(parts[3])}日` : "";
}

// Where the terms occur in ``text``, as ranges of the original text, merged.
function ranges(text, terms) {
  const { folded, origin } = foldMapped(text);
  const found = [];
  for (const term of terms) {
    let at = folded.indexOf(term);
    while (at >= 0) {
      found.push([origin[at], origin[at + term.length]]);
      at = folded.indexOf(term, at + term.length);
    }
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of found) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

// ``text`` into ``node``, the terms in <mark>; a long text cut around its first match.
function marked(node, text, terms, { window = 0 } = {}) {
  let shown = String(text || "");
  let found = ranges(shown, terms);
  if (window && shown.length > window) {
    const start = found.length ? Math.max(0, found[0][0] - 40) : 0;
    const end = Math.min(shown.length, start + window);
    shown = (start ? "…" : "") + shown.slice(start, end) + (end < text.length ? "…" : "");
    found = ranges(shown, terms);
  }
  let at = 0;
  for (const [start, end] of found) {
    if (start > at) node.append(shown.slice(at, start));
    node.append(element("mark", "", shown.slice(start, end)));
    at = end;
  }
  if (at < shown.length) node.append(shown.slice(at));
  return node;
}

function hasMatch(text, terms) {
  const folded = fold(text);
  return terms.some((term) => folded.includes(term));
}

function renderHit(entry, terms) {
  const item = element("li", entry.kind === CARD ? "wkn-search-card" : "wkn-search-card wkn-search-intro");
  const title = element("p", "wkn-search-card-title");
  const link = marked(element("a"), entry.title || entry.issue.title, terms);
  link.href = `${entry.issue.url}#${entry.anchor}`;
  title.append(link);
  item.append(title);
  const meta = element("p", "wkn-search-meta");
  const where = `#${entry.issue.number} · ${japaneseDate(entry.issue.date)}`;
  if (entry.kind === CARD && entry.site) marked(meta, entry.site, terms).append(` · ${where}`);
  else meta.append(entry.kind === CARD ? where : `${where} · 本文`);
  item.append(meta);
  if (entry.excerpt && hasMatch(entry.excerpt, terms)) {
    item.append(marked(element("p", "wkn-search-excerpt"), entry.excerpt, terms, { window: WINDOW }));
  }
  if (entry.text && (hasMatch(entry.text, terms) || entry.kind !== CARD)) {
    item.append(marked(element("p", "wkn-search-commentary"), entry.text, terms, { window: WINDOW }));
  }
  return item;
}

// An issue of the exact group shows the cards holding the words as typed; an issue of
// the other group, those holding their pieces.
function renderResult(result, words, allTerms) {
  const issue = result.issue;
  const terms = result.exact ? words : allTerms;
  const item = element("li", "wkn-search-result");
  item.dataset.issue = String(issue.number);
  const heading = element("p", "wkn-search-title");
  const link = element("a", "", issue.title);
  link.href = issue.url;
  heading.append(link, " ", element("span", "wkn-search-date", japaneseDate(issue.date)));
  item.append(heading);
  const hits = result.hits.filter((hit) => !result.exact || hit.exact.some(Boolean)).sort(hitOrder);
  const list = element("ul", "wkn-search-cards");
  for (const hit of hits.slice(0, HITS_SHOWN)) list.append(renderHit(hit.entry, terms));
  if (hits.length > HITS_SHOWN) {
    const others = element("li", "wkn-search-card wkn-search-others");
    const all = element("a", "", `この号のほか ${hits.length - HITS_SHOWN} 件`);
    all.href = issue.url;
    others.append(all);
    list.append(others);
  }
  item.append(list);
  return item;
}

function showMore() {
  const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  for (const result of batch) {
    const group = groups[result.exact ? "exact" : "apart"];
    group.list.append(renderResult(result, current.words, current.terms));
  }
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
}

function clearResults() {
  for (const group of Object.values(groups)) {
    group.list.replaceChildren();
    group.heading.hidden = true;
  }
  more.hidden = true;
}

// -- one search ----------------------------------------------------------------------

function shortQuery(raw) {
  const text = raw.trim();
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function writeAddress(raw, push) {
  const address = new URL(window.location.href);
  const params = { q: raw.trim(), ...chosen() };
  for (const [name, value] of Object.entries(params)) {
    if (value) address.searchParams.set(name, value);
    else address.searchParams.delete(name);
  }
  if (address.href !== window.location.href) window.history[push ? "pushState" : "replaceState"](null, "", address);
}

function search(raw, { push = false } = {}) {
  writeAddress(raw, push);
  clearResults();
  const { words, cut } = parseQuery(raw);
  if (!raw.trim()) {
    status.textContent = "";
    clearCounts();
    root.dataset.count = "0";
    root.dataset.state = "idle";
    return;
  }
  if (!words.length) {
    status.textContent = `「${shortQuery(raw)}」は記号だけなので探せません。語を入力してください。`;
    clearCounts();
    root.dataset.count = "0";
    root.dataset.state = "done";
    return;
  }
  const wordPieces = words.map(pieces);
  const matched = matchEntries(words, wordPieces);
  const { exact, apart } = groupIssues(matched, words, keepFor(chosen()));
  exact.sort(byRank);
  apart.sort(byRank);
  updateCounts(matched, words, exact.length + apart.length);
  const terms = [...words, ...wordPieces.flat()];
  current = { results: [...exact, ...apart], shown: 0, words, terms };
  groups.exact.heading.hidden = !exact.length;
  groups.exact.heading.textContent = `完全一致 ${exact.length} 件`;
  groups.apart.heading.hidden = !apart.length;
  groups.apart.heading.textContent = `語を離れて含むページ ${apart.length} 件`;
  const filtered = filters.some((select) => select.value) ? "（絞り込み中）" : "";
  const note = cut ? `（長い検索語は最初の ${MAX_WORDS} 語・${MAX_QUERY} 文字で探しました）` : "";
  const query = shortQuery(raw);
  if (!exact.length && !apart.length) {
    status.textContent = `「${query}」を含む号は見つかりませんでした${filtered}。${note}`;
  } else if (!exact.length) {
    status.textContent = `「${query}」: 完全一致はありません。語を離れて含むページ ${apart.length} 件${filtered}${note}`;
  } else if (!apart.length) {
    status.textContent = `「${query}」: ${exact.length} 件が完全一致${filtered}${note}`;
  } else {
    status.textContent = `「${query}」: ${exact.length} 件が完全一致、ほか ${apart.length} 件${filtered}${note}`;
  }
  root.dataset.count = String(exact.length + apart.length);
  root.dataset.exact = String(exact.length);
  showMore();
  root.dataset.state = "done";
}

let pending = 0;
function run(options) {
  const serial = ++pending;
  if (!issues.length) root.dataset.state = "searching";
  load().then(
    () => {
      if (serial === pending) search(input.value, options);
    },
    () => {
      status.textContent = "検索索引を読み込めませんでした（ビルドで索引が作られていない可能性があります）。";
      root.dataset.state = "error";
    },
  );
}

function fromAddress() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  return params;
}

function applyFilters(params) {
  if (params.get("competition")) fillCompetitions();
  for (const select of filters) {
    const value = params.get(select.name) || "";
    select.value = [...select.options].some((option) => option.value === value) ? value : "";
  }
  showPlatform();
}

input.addEventListener("input", () => run());
for (const event of ["focus", "pointerdown", "mousedown"]) {
  competitionSelect.addEventListener(event, fillCompetitions);
}
for (const select of [yearSelect, tagSelect, competitionSelect]) {
  select.addEventListener("change", () => run({ push: true }));
}
platformSelect.addEventListener("change", () => {
  // A competition of another platform would leave nothing: it is let go.
  const competition = competitionSelect.value;
  if (competition && platformSelect.value && platformOf(competition) !== platformSelect.value) {
    competitionSelect.value = "";
  }
  showPlatform();
  run({ push: true });
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  run({ push: true });
});
more.addEventListener("click", showMore);
window.addEventListener("popstate", () => {
  const params = fromAddress();
  load().then(() => {
    applyFilters(params);
    run();
  });
});

const initial = fromAddress();
input.focus();
if (input.value || filters.some((select) => initial.get(select.name))) {
  load().then(
    () => {
      applyFilters(initial);
      if (input.value) run();
      else root.dataset.state = "idle";
    },
    () => run(),
  );
} else {
  // Nothing asked yet: the index (the book's every card, about 270 KB gzipped) is fetched
  // when the reader turns to the form (a key, a click, a tap, the focus moving in it), not
  // with the page. Typing runs the search once it is there (run() waits for load()).
  root.dataset.state = "idle";
  const start = () => load().catch(() => {});
  for (const kind of ["keydown", "pointerdown", "focusin"]) form.addEventListener(kind, start, { once: true });
}
