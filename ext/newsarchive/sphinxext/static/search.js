// search.html: the book's full-text search with Pagefind (see ext/newsarchive/search.py).
// The address stays Sphinx's: search.html?q=WORDS, so the theme's search box works.
// Every value from the index is written with textContent; excerpts are split on
// Pagefind's <mark> tags and their entities decoded in an inert document.
const PAGE_SIZE = 10;
const CARDS_SHOWN = 5;

const root = document.getElementById("wkn-search");
const input = root.querySelector("#wkn-search-q");
const form = root.querySelector("form");
const status = root.querySelector(".wkn-search-status[role=status]");
const list = root.querySelector(".wkn-search-results");
const more = root.querySelector(".wkn-search-more");
const bundle = new URL(root.dataset.bundle, document.baseURI);
const bookRoot = new URL("..", bundle);

let pagefind = null;
let current = { serial: 0, results: [], shown: 0 };

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({ baseUrl: bookRoot.pathname, excerptLength: 40 });
    pagefind.init();
  }
  return pagefind;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const inert = new DOMParser();
function decode(html) {
  return inert.parseFromString(html, "text/html").documentElement.textContent;
}

// Pagefind's excerpt: escaped text with <mark>…</mark> around the words found.
function excerpt(html, className) {
  const p = element("p", className);
  let marked = false;
  for (const piece of String(html || "").split(/(<\/?mark>)/)) {
    if (piece === "<mark>") marked = true;
    else if (piece === "</mark>") marked = false;
    else if (piece) p.append(marked ? element("mark", "", decode(piece)) : decode(piece));
  }
  return p;
}

function isCard(sub) {
  return sub.anchor && /^link-\d+$/.test(sub.anchor.id || "");
}

function renderResult(data) {
  const item = element("li", "wkn-search-result");
  const heading = element("p", "wkn-search-title");
  const link = element("a", "", (data.meta && data.meta.title) || data.url);
  link.href = data.url;
  heading.append(link);
  if (data.meta && data.meta.date) heading.append(" ", element("span", "wkn-search-date", data.meta.date));
  item.append(heading);
  const cards = (data.sub_results || []).filter(isCard);
  const intro = (data.sub_results || []).filter((sub) => !isCard(sub));
  if (intro.length && intro[0].excerpt) item.append(excerpt(intro[0].excerpt, "wkn-search-excerpt"));
  if (!cards.length && !intro.length) item.append(excerpt(data.excerpt, "wkn-search-excerpt"));
  if (cards.length) {
    const ul = element("ul", "wkn-search-cards");
    for (const sub of cards.slice(0, CARDS_SHOWN)) {
      const li = element("li", "wkn-search-card");
      const a = element("a", "", sub.title);
      a.href = sub.url;
      li.append(a, excerpt(sub.excerpt, "wkn-search-excerpt"));
      ul.append(li);
    }
    if (cards.length > CARDS_SHOWN) {
      const li = element("li", "wkn-search-card wkn-search-others");
      const a = element("a", "", `ほか ${cards.length - CARDS_SHOWN} 件のリンク`);
      a.href = data.url;
      li.append(a);
      ul.append(li);
    }
    item.append(ul);
  }
  return item;
}

async function showMore(serial) {
  const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (serial !== current.serial) return;
  for (const one of data) list.append(renderResult(one));
  current.shown += batch.length;
  more.hidden = current.shown >= current.results.length;
  root.dataset.state = "done";
}

async function run(query, { push = false } = {}) {
  const serial = ++current.serial;
  const words = query.trim();
  const address = new URL(window.location.href);
  if (words) address.searchParams.set("q", words);
  else address.searchParams.delete("q");
  if (address.href !== window.location.href) {
    window.history[push ? "pushState" : "replaceState"](null, "", address);
  }
  if (!words) {
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    root.dataset.state = "idle";
    return;
  }
  root.dataset.state = "searching";
  let found;
  try {
    found = await (await engine()).search(words);
  } catch (error) {
    status.textContent = "検索索引を読み込めませんでした（ビルドで索引が作られていない可能性があります）。";
    root.dataset.state = "error";
    return;
  }
  if (serial !== current.serial || found === null) return;
  current = { serial, results: found.results, shown: 0 };
  list.replaceChildren();
  status.textContent = found.results.length
    ? `「${words}」: ${found.results.length} 件のページ`
    : `「${words}」を含むページは見つかりませんでした。`;
  root.dataset.count = String(found.results.length);
  await showMore(serial);
}

let timer = 0;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 200);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run(input.value, { push: true });
});
more.addEventListener("click", () => showMore(current.serial));
window.addEventListener("popstate", () => {
  input.value = new URLSearchParams(window.location.search).get("q") || "";
  run(input.value);
});

input.value = new URLSearchParams(window.location.search).get("q") || "";
if (input.value) run(input.value);
else root.dataset.state = "idle";
input.focus();
