// search.html: the book's one search (ext/newsarchive/sphinxext/search.py). Its matching is
// searchcore.js; this file draws it.
// The address keeps Sphinx's: search.html?q=WORDS[&year=][&tag=][&platform=][&competition=]
// [&site=], so the theme's search box and old links work and a search can be shared;
// ``all=1`` without words lists every link, newest first (the old link finder's page
// links/index.html leads here).
//
// Nothing is downloaded until the reader turns to the form (or the address asks for a
// search): then meta.json, the shards of the words typed, their newest pages and the
// issues shown. The counts follow: the remaining pages of the words are fetched after the
// first results are on screen, and a filter's own file when the reader opens it.
// Every value is written with textContent; highlights are <mark> elements around text.
import {
  CARD,
  Engine,
  classify,
  decodeRefs,
  evaluate,
  fold,
  issueNumbers,
  parseQuery,
  pieces,
  queryPlan,
  yearOf,
} from "./searchcore.js";

const PAGE_SIZE = 10; // issues drawn at once when words are given
const LINKS_PAGE = 30; // links drawn at once (at least) when listing every link
const HITS_SHOWN = 3;
const MAX_WORDS = 8;
const MAX_QUERY = 200; // characters searched; a longer query is cut, and the page says so
const WINDOW = 160; // characters of an excerpt or commentary shown around the first match
// A typed query is searched once the keys pause this long (ms), and not while an input method
// is still composing: the prefixes typed on the way download nothing.
const TYPING_PAUSE = 120;

const root = document.getElementById("wkn-search");
const form = root.querySelector("form");
const input = root.querySelector("#wkn-search-q");
const selects = {
  year: form.elements.year,
  tag: form.elements.tag,
  platform: form.elements.platform,
  competition: form.elements.competition,
  site: form.elements.site,
};
const filters = Object.values(selects);
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
const indexRoot = new URL(root.dataset.index, document.baseURI);
const bookRoot = new URL(root.dataset.root || "./", document.baseURI);
const segmenter = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("ja", { granularity: "word" }) : null;

function loadJson(name) {
  return fetch(new URL(name, indexRoot)).then((response) => {
    if (!response.ok) throw new Error(`${name}: ${response.status}`);
    return response.json();
  });
}

let engine = null;
let starting = null;
function start() {
  if (!starting) {
    starting = loadJson("meta.json").then((meta) => {
      engine = new Engine(meta, loadJson);
      fillSelects(meta);
    });
  }
  return starting;
}

// -- facets: which entries carry a tag, a site, a competition ------------------------------

const FACET_OF = { tag: "tags", site: "sites", competition: "competitions", platform: "competitions" };
const facets = {}; // kind -> { refs: value -> Set("n:e"), values: "n:e" -> [values] }
const facetLoading = {};
const labels = { tag: {}, platform: {}, competition: {}, site: {} };

function platformOf(key) {
  return String(key).split("/", 1)[0];
}

function indexFacet(kind, data) {
  const refs = new Map();
  const values = new Map();
  const add = (value, set) => {
    refs.set(value, set);
    for (const ref of set) {
      if (!values.has(ref)) values.set(ref, []);
      values.get(ref).push(value);
    }
  };
  if (kind === "competitions") {
    const platforms = new Map();
    for (const [key, name, flat] of data) {
      labels.competition[key] = name;
      const set = decodeRefs(flat);
      add(key, set);
      const platform = platformOf(key);
      if (!platforms.has(platform)) platforms.set(platform, new Set());
      for (const ref of set) platforms.get(platform).add(ref);
    }
    facets.platforms = { refs: platforms, values: new Map() };
    for (const [platform, set] of platforms) {
      for (const ref of set) {
        if (!facets.platforms.values.has(ref)) facets.platforms.values.set(ref, []);
        facets.platforms.values.get(ref).push(platform);
      }
    }
  } else {
    for (const [value, flat] of Object.entries(data)) add(value, decodeRefs(flat));
  }
  facets[kind] = { refs, values };
}

function loadFacet(name) {
  const kind = FACET_OF[name];
  if (!kind) return Promise.resolve();
  if (!facetLoading[kind]) {
    facetLoading[kind] = start()
      .then(() => loadJson(`f/${kind}.json`))
      .then((data) => {
        indexFacet(kind, data);
        if (kind === "competitions") fillCompetitions();
        if (kind === "sites") fillSites();
      });
  }
  return facetLoading[kind];
}

function facetFor(name) {
  return name === "platform" ? facets.platforms : facets[FACET_OF[name]];
}

// The values of filter ``name`` an entry carries ([] when its facet is not loaded).
function valuesOf(name, number, entry) {
  if (name === "year") return [yearOf(engine.meta.years, number)];
  const facet = facetFor(name);
  return (facet && facet.values.get(`${number}:${entry}`)) || [];
}

function chosen() {
  return Object.fromEntries(filters.map((select) => [select.name, select.value]));
}

// Which entries the filters keep; ``except`` leaves one filter out (for its own counts).
function keepFor(filter, except = "") {
  const tests = [];
  for (const [name, value] of Object.entries(filter)) {
    if (!value || name === except) continue;
    if (name === "year") tests.push((number) => yearOf(engine.meta.years, number) === value);
    else {
      const set = (facetFor(name) && facetFor(name).refs.get(value)) || new Set();
      tests.push((number, entry) => set.has(`${number}:${entry}`));
    }
  }
  return (number, entry) => tests.every((test) => test(number, entry));
}

// -- the filters' options ---------------------------------------------------------------

function label(name, value) {
  if (!value) {
    return { year: "すべての年", tag: "すべてのタグ", platform: "すべてのプラットフォーム", competition: "すべてのコンペ", site: "すべてのサイト" }[name];
  }
  if (name === "year") return `${value}年`;
  return labels[name][value] || value;
}

function fillSelects(meta) {
  labels.tag = meta.tags || {};
  labels.platform = meta.platforms || {};
  for (const [year] of meta.years) {
    if (![...selects.year.options].some((option) => option.value === year)) selects.year.append(new Option(label("year", year), year));
  }
  for (const slug of Object.keys(labels.tag)) selects.tag.append(new Option(label("tag", slug), slug));
  for (const [key, name] of Object.entries(labels.platform)) selects.platform.append(new Option(name, key));
}

// Hundreds of competitions and sites join the page when their list is first opened.
function fillCompetitions() {
  for (const [key, name] of Object.entries(labels.platform)) {
    const group = document.createElement("optgroup");
    group.label = name;
    group.dataset.platform = key;
    const keys = Object.keys(labels.competition).filter((competition) => platformOf(competition) === key);
    keys.sort((a, b) => labels.competition[a].localeCompare(labels.competition[b], "ja") || (a < b ? -1 : 1));
    for (const competition of keys) group.append(new Option(label("competition", competition), competition));
    selects.competition.append(group);
  }
  showPlatform();
}

function fillSites() {
  const sites = [...facets.sites.refs.entries()].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
  for (const [site] of sites) selects.site.append(new Option(site, site));
}

function showPlatform() {
  const platform = selects.platform.value;
  for (const group of selects.competition.querySelectorAll("optgroup")) {
    group.hidden = Boolean(platform) && group.dataset.platform !== platform;
  }
}

// Written only when it changed: the lists have hundreds of options.
const written = new WeakMap();
function setOption(option, text, disabled) {
  const last = written.get(option);
  if (last && last.text === text && last.disabled === disabled) return;
  if (!last || last.text !== text) option.textContent = text;
  if (!last || last.disabled !== disabled) option.disabled = disabled;
  written.set(option, { text, disabled });
}

function clearCounts() {
  for (const select of filters) {
    for (const option of select.options) setOption(option, label(select.name, option.value), false);
  }
}

// Each option says how many results it would leave, the other filters kept. Options of a
// filter whose file is not loaded yet show no count.
function writeCounts(countOf) {
  const now = chosen();
  for (const select of filters) {
    const name = select.name;
    const counts = name === "year" || facetFor(name) ? countOf(name) : null;
    for (const option of select.options) {
      if (!counts) {
        setOption(option, label(name, option.value), false);
        continue;
      }
      const n = option.value ? counts.byValue.get(option.value) || 0 : counts.all;
      const shown = option.value === now[name];
      setOption(option, `${label(name, option.value)} (${n})`, n === 0 && !shown && option.value !== "");
    }
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

// The folded text and, for each of its characters, where it came from in the original,
// so matches found in folded text can be marked in the text shown.
function foldMapped(text) {
  let folded = "";
  const origin = [];
  let position = 0;
  for (const char of String(text || "")) {
    let piece = fold(char);
    if (piece === " " && folded.endsWith(" ")) piece = "";
    if (/^\p{M}/u.test(piece) && folded) {
      // A half-width sound mark (ｶﾞ) joins the character before it, as NFKC does.
      const joined = (folded.slice(-1) + piece).normalize("NFC");
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
    const begin = found.length ? Math.max(0, found[0][0] - 40) : 0;
    const end = Math.min(shown.length, begin + window);
    shown = (begin ? "…" : "") + shown.slice(begin, end) + (end < text.length ? "…" : "");
    found = ranges(shown, terms);
  }
  let at = 0;
  for (const [from, to] of found) {
    if (from > at) node.append(shown.slice(at, from));
    node.append(element("mark", "", shown.slice(from, to)));
    at = to;
  }
  if (at < shown.length) node.append(shown.slice(at));
  return node;
}

function hasMatch(text, terms) {
  const folded = fold(text);
  return terms.some((term) => folded.includes(term));
}

function issueUrl(issue) {
  return new URL(issue.page, bookRoot).href;
}

function renderHit(issue, entry, terms) {
  const [kind, anchor, title, site, excerpt, text] = entry;
  const item = element("li", kind === CARD ? "wkn-search-card" : "wkn-search-card wkn-search-intro");
  const heading = element("p", "wkn-search-card-title");
  const link = marked(element("a"), title || issue.title, terms);
  link.href = `${issueUrl(issue)}#${anchor}`;
  heading.append(link);
  item.append(heading);
  const meta = element("p", "wkn-search-meta");
  const where = `#${issue.n} · ${japaneseDate(issue.date)}`;
  if (kind === CARD && site) marked(meta, site, terms).append(` · ${where}`);
  else meta.append(kind === CARD ? where : `${where} · 本文`);
  item.append(meta);
  if (excerpt && (!terms.length || hasMatch(excerpt, terms))) {
    item.append(marked(element("p", "wkn-search-excerpt"), excerpt, terms, { window: WINDOW }));
  }
  if (text && (hasMatch(text, terms) || (kind !== CARD && terms.length))) {
    item.append(marked(element("p", "wkn-search-commentary"), text, terms, { window: WINDOW }));
  }
  return item;
}

function renderIssue(issue, entries, terms, limit) {
  const item = element("li", "wkn-search-result");
  item.dataset.issue = String(issue.n);
  const heading = element("p", "wkn-search-title");
  const link = element("a", "", issue.title);
  link.href = issueUrl(issue);
  heading.append(link, " ", element("span", "wkn-search-date", japaneseDate(issue.date)));
  item.append(heading);
  const list = element("ul", "wkn-search-cards");
  for (const entry of entries.slice(0, limit)) list.append(renderHit(issue, issue.entries[entry], terms));
  if (entries.length > limit) {
    const others = element("li", "wkn-search-card wkn-search-others");
    const all = element("a", "", `この号のほか ${entries.length - limit} 件`);
    all.href = issueUrl(issue);
    others.append(all);
    list.append(others);
  }
  item.append(list);
  return item;
}

function clearResults() {
  for (const group of Object.values(groups)) {
    group.list.replaceChildren();
    group.heading.hidden = true;
  }
  more.hidden = true;
}

function shortQuery(raw) {
  const text = raw.trim();
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function writeAddress(raw, listing, push) {
  const address = new URL(window.location.href);
  const params = { q: raw.trim(), ...chosen(), all: listing && !raw.trim() ? "1" : "" };
  for (const [name, value] of Object.entries(params)) {
    if (value) address.searchParams.set(name, value);
    else address.searchParams.delete(name);
  }
  if (address.href !== window.location.href) window.history[push ? "pushState" : "replaceState"](null, "", address);
}

// -- a search with words ----------------------------------------------------------------

let current = null; // what is on screen: { serial, more() }
let serial = 0;
let typing = 0; // the pending search of a typed query (setTimeout)

async function searchWords(raw, words, cut, mine) {
  const filter = chosen();
  const query = queryPlan(words, (word) => pieces(word, segmenter));
  const terms = [...words, ...query.wordPieces.flat()];
  const keep = keepFor(filter);
  const filtered = filters.some((select) => select.value) ? "（絞り込み中）" : "";
  const note = cut ? `（長い検索語は最初の ${MAX_WORDS} 語・${MAX_QUERY} 文字で探しました）` : "";
  const text = shortQuery(raw);
  let shown = 0;
  let complete = null;

  const describe = (result, whole) => {
    const exact = result.exact.length;
    const apart = result.apart.length;
    const plus = whole ? "" : " 以上";
    groups.exact.heading.textContent = `完全一致 ${exact}${whole ? "" : "+"} 件`;
    groups.apart.heading.textContent = `語を離れて含むページ ${apart} 件`;
    if (!exact && !apart) status.textContent = `「${text}」を含む号は見つかりませんでした${filtered}。${note}`;
    else if (!exact) status.textContent = `「${text}」: 完全一致はありません。語を離れて含むページ ${apart} 件${filtered}${note}`;
    else if (!apart && !whole) status.textContent = `「${text}」: ${exact} 件${plus}が完全一致${filtered}${note}`;
    else if (!apart) status.textContent = `「${text}」: ${exact} 件が完全一致${filtered}${note}`;
    else status.textContent = `「${text}」: ${exact} 件が完全一致、ほか ${apart} 件${filtered}${note}`;
    root.dataset.exact = String(exact);
    root.dataset.count = String(exact + apart);
  };

  const draw = async (result) => {
    const wanted = [...result.exact, ...result.apart].slice(shown, shown + PAGE_SIZE);
    const entriesOf = wanted.map((found) =>
      found.hits
        .filter((hit) => found.group === "apart" || hit.exact.some(Boolean))
        .sort((a, b) => b.exact.filter(Boolean).length - a.exact.filter(Boolean).length || a.entry - b.entry)
        .map((hit) => hit.entry),
    );
    const issues = await Promise.all(
      wanted.map((found, i) => engine.issueWith(found.number, entriesOf[i].slice(0, HITS_SHOWN))),
    );
    if (mine !== serial) return;
    wanted.forEach((found, i) => {
      const group = groups[found.group];
      group.heading.hidden = false;
      group.list.append(renderIssue(issues[i], entriesOf[i], found.group === "exact" ? words : terms, HITS_SHOWN));
    });
    shown += wanted.length;
  };

  const counts = (name) => {
    const relaxed = evaluate(query, engine.postings, keepFor(filter, name));
    const byValue = new Map();
    for (const found of [...relaxed.exact, ...relaxed.apart]) {
      const buckets = new Map();
      for (const hit of found.hits) {
        for (const value of valuesOf(name, found.number, hit.entry)) {
          if (!buckets.has(value)) buckets.set(value, []);
          buckets.get(value).push(hit);
        }
      }
      for (const [value, hits] of buckets) if (classify(query, hits)) byValue.set(value, (byValue.get(value) || 0) + 1);
    }
    return { all: relaxed.exact.length + relaxed.apart.length, byValue };
  };

  let result = await engine.search(query, keep, PAGE_SIZE);
  if (mine !== serial) return;
  await draw(result);
  if (mine !== serial) return;
  describe(result, result.complete);
  more.hidden = shown >= result.exact.length + result.apart.length && result.complete;
  root.dataset.state = result.complete ? "done" : "partial";
  current = {
    async more() {
      result = await engine.search(query, keep, shown + PAGE_SIZE);
      if (mine !== serial) return;
      await draw(result);
      more.hidden = complete !== null && shown >= complete.exact.length + complete.apart.length;
    },
    recount() {
      if (complete) writeCounts(counts);
    },
  };
  // The counts: every page of the words, once the first results are on screen.
  complete = await engine.search(query, keep, Infinity, { everything: true });
  if (mine !== serial) return;
  describe(complete, true);
  more.hidden = shown >= complete.exact.length + complete.apart.length;
  writeCounts(counts);
  root.dataset.state = "done";
}

// -- every link, newest first (no words) ---------------------------------------------------

async function listLinks(mine) {
  const filter = chosen();
  await Promise.all(Object.entries(filter).map(([name, value]) => (value ? loadFacet(name) : null)));
  if (mine !== serial) return;
  const keep = keepFor(filter);
  const needsFacet = Object.entries(filter).some(([name, value]) => value && name !== "year");
  // The issues to look in: those a chosen tag, site or competition names, or all of them.
  let numbers = issueNumbers(engine.meta.issues);
  if (needsFacet) {
    const named = new Set();
    for (const [name, value] of Object.entries(filter)) {
      if (!value || name === "year") continue;
      for (const ref of facetFor(name).refs.get(value) || []) named.add(Number(ref.split(":")[0]));
    }
    numbers = numbers.filter((number) => named.has(number));
  }
  if (filter.year) numbers = numbers.filter((number) => yearOf(engine.meta.years, number) === filter.year);
  let next = 0;
  let drawn = 0;
  groups.exact.heading.hidden = false;
  const cardsOf = (issue) =>
    issue.entries.map((entry, i) => [entry, i]).filter(([entry, i]) => entry[0] === CARD && keep(issue.n, i)).map(([, i]) => i);
  const draw = async () => {
    let cards = 0;
    while (next < numbers.length && cards < LINKS_PAGE) {
      const batch = numbers.slice(next, next + 4);
      next += batch.length;
      const issues = await Promise.all(batch.map((number) => engine.issue(number)));
      if (mine !== serial) return;
      for (const issue of issues) {
        const entries = cardsOf(issue);
        if (!entries.length) continue;
        groups.exact.list.append(renderIssue(issue, entries, [], entries.length));
        cards += entries.length;
        drawn += entries.length;
      }
    }
    more.hidden = next >= numbers.length;
  };
  const total = () => {
    if (!needsFacet && !filter.year) return engine.meta.cards;
    if (!needsFacet) return engine.meta.cardsByYear[filter.year] || 0;
    if (!facets.sites) return null;
    let n = 0;
    for (const set of facets.sites.refs.values()) for (const ref of set) if (keep(...ref.split(":").map(Number))) n += 1;
    return n;
  };
  await draw();
  if (mine !== serial) return;
  const n = total();
  const filtered = needsFacet || filter.year ? "（絞り込み中）" : "";
  groups.exact.heading.textContent = n === null ? "リンク（新しい順）" : `リンク ${n} 件（新しい順）`;
  status.textContent = n === null ? `リンクを新しい順に表示しています${filtered}` : `すべてのリンク ${n} 件を新しい順に表示しています${filtered}`;
  if (n === 0) status.textContent = `条件に合うリンクはありません${filtered}`;
  root.dataset.count = String(n ?? drawn);
  root.dataset.state = "done";
  const counts = (name) => {
    // Links, not issues: every card (each has a site) the other filters keep.
    if (!facets.sites) return null;
    const relaxed = keepFor(filter, name);
    const byValue = new Map();
    let all = 0;
    for (const set of facets.sites.refs.values()) {
      for (const ref of set) {
        const [number, entry] = ref.split(":").map(Number);
        if (!relaxed(number, entry)) continue;
        all += 1;
        for (const value of valuesOf(name, number, entry)) byValue.set(value, (byValue.get(value) || 0) + 1);
      }
    }
    return { all, byValue };
  };
  const recount = () => writeCounts((name) => counts(name) || { all: 0, byValue: new Map() });
  current = { more: draw, recount: () => (facets.sites ? recount() : null) };
  if (facets.sites) recount();
}

// -- one search ----------------------------------------------------------------------

let listing = false;

async function search(raw, { push = false } = {}) {
  clearTimeout(typing);
  const mine = ++serial;
  current = null;
  writeAddress(raw, listing, push);
  clearResults();
  const { words, cut } = parseQuery(raw, { maxWords: MAX_WORDS, maxLength: MAX_QUERY });
  const filtering = filters.some((select) => select.value);
  if (!raw.trim() && !filtering && !listing) {
    status.textContent = "";
    clearCounts();
    root.dataset.count = "0";
    root.dataset.state = "idle";
    return;
  }
  if (raw.trim() && !words.length) {
    status.textContent = `「${shortQuery(raw)}」は記号だけなので探せません。語を入力してください。`;
    clearCounts();
    root.dataset.count = "0";
    root.dataset.state = "done";
    return;
  }
  root.dataset.state = "searching";
  try {
    await start();
    await Promise.all(filters.map((select) => (select.value ? loadFacet(select.name) : null)));
    if (mine !== serial) return;
    if (words.length) await searchWords(raw, words, cut, mine);
    else await listLinks(mine);
  } catch (error) {
    if (mine !== serial) return;
    status.textContent = "検索索引を読み込めませんでした（ビルドで索引が作られていない可能性があります）。";
    root.dataset.state = "error";
  }
}

function fromAddress() {
  const params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  listing = params.get("all") === "1";
  return params;
}

// The filters from the address. Setting them waits for their files; a Back (or the page
// coming back) meanwhile starts another: only the latest sets the form, from the address as
// it is then, so an earlier entry's filters never land under a later address.
let applying = 0;
async function applyFilters(params) {
  const mine = ++applying;
  await start();
  await Promise.all(filters.map((select) => (params.get(select.name) ? loadFacet(select.name) : null)));
  if (mine !== applying) return false;
  for (const select of filters) {
    const value = params.get(select.name) || "";
    select.value = [...select.options].some((option) => option.value === value) ? value : "";
  }
  showPlatform();
  return true;
}

function typed(event) {
  if (input.value.trim()) listing = false;
  clearTimeout(typing);
  serial += 1; // what was asked before the keystroke draws nothing more
  if (event.isComposing) return;
  typing = setTimeout(() => search(input.value), TYPING_PAUSE);
}
input.addEventListener("input", typed);
input.addEventListener("compositionend", typed);
for (const select of filters) {
  // A filter's own file (its options, its counts) comes when its list is about to open.
  for (const kind of ["focus", "pointerdown", "mousedown"]) {
    select.addEventListener(kind, () => loadFacet(select.name).then(() => current && current.recount()));
  }
  select.addEventListener("change", () => {
    if (select === selects.platform) {
      // A competition of another platform would leave nothing: it is let go.
      const competition = selects.competition.value;
      if (competition && select.value && platformOf(competition) !== select.value) selects.competition.value = "";
      showPlatform();
    }
    search(input.value, { push: true });
  });
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (!input.value.trim()) listing = true;
  search(input.value, { push: true });
});
// One more page at a time; the state says when it is drawn.
let drawing = null;
more.addEventListener("click", () => {
  if (!current || drawing) return;
  const state = root.dataset.state;
  root.dataset.state = "more";
  drawing = Promise.resolve(current.more()).finally(() => {
    drawing = null;
    if (root.dataset.state === "more") root.dataset.state = state === "partial" ? "partial" : "done";
  });
});
function restore() {
  const params = fromAddress();
  applyFilters(params).then((latest) => latest && search(input.value));
}
window.addEventListener("popstate", restore);
// Back to this page from another, kept whole by the browser: its address may be an
// earlier state than the form shows.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) restore();
});

const initial = fromAddress();
input.focus();
if (input.value || listing || filters.some((select) => initial.get(select.name))) {
  applyFilters(initial).then(
    (latest) => latest && search(input.value),
    () => search(input.value),
  );
} else {
  // Nothing asked yet: the index's first file comes when the reader turns to the form.
  root.dataset.state = "idle";
  const warm = () => start().catch(() => {});
  for (const kind of ["keydown", "pointerdown", "focusin"]) form.addEventListener(kind, warm, { once: true });
  // input.focus() above already moved the focus in: the page opened for a search.
  if (form.contains(document.activeElement)) warm();
}
