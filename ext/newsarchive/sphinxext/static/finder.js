// links/index.html: every link of the archive, filtered as you type (see finder.py).
// The page arrives with its first view drawn (the newest links, the choices with their
// counts); links.json is loaded once, when the reader turns to the form, asks for more or
// opens an address with choices in it. Each row's searchable text is normalised once, so
// a keystroke is one pass over plain strings. Values are written with textContent only.
(function () {
  "use strict";
  var PAGE_SIZE = 100;
  var root = document.getElementById("wkn-finder");
  if (!root) return;
  var form = root.querySelector("form");
  var words = form.elements.q;
  var tagSelect = form.elements.tag;
  var yearSelect = form.elements.year;
  var competitionSelect = form.elements.competition;
  var count = root.querySelector(".wkn-finder-count");
  var list = root.querySelector(".wkn-finder-results");
  var more = root.querySelector(".wkn-finder-more");
  var bookRoot = new URL(root.dataset.root || "./", document.baseURI);

  var rows = [];
  var tags = {};
  var competitions = {};
  var matches = [];
  var shown = 0;

  function normalise(text) {
    return String(text || "").normalize("NFKC").toLowerCase();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function japaneseDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return parts ? parts[1] + "年" + Number(parts[2]) + "月" + Number(parts[3]) + "日" : "";
  }

  function tagLabel(slug) {
    var tag = tags[slug];
    return tag ? tag.ja : slug;
  }

  function competitionLabel(key) {
    var competition = competitions[key];
    return competition ? competition.name + "（" + competition.platform + "）" : key;
  }

  function prepare(data) {
    tags = data.tags || {};
    competitions = data.competitions || {};
    rows = (data.links || []).map(function (link, position) {
      return {
        link: link,
        position: position,
        year: String(link.date || "").slice(0, 4),
        tags: link.tags || [],
        competitions: link.competitions || [],
        text: normalise([link.title, link.excerpt, link.commentary, link.site].join("\n")),
      };
    });
    // Newest issue first; within an issue, the page's order.
    rows.sort(function (a, b) {
      return (b.link.issue || 0) - (a.link.issue || 0) || a.position - b.position;
    });
  }

  // The choices as links.json has them (the page's own are the same for the book it was
  // built with); competitions by label, lower case, in code point order (as finder.py).
  function fillSelect(select, values, label) {
    var chosen = select.value;
    select.length = 1;
    values.forEach(function (value) {
      var option = element("option", "", label(value));
      option.value = value;
      select.append(option);
    });
    select.value = chosen;
  }

  function byCodePoint(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function setupSelects() {
    fillSelect(tagSelect, Object.keys(tags), tagLabel);
    var keys = Object.keys(competitions).sort(function (a, b) {
      var x = competitionLabel(a);
      var y = competitionLabel(b);
      return byCodePoint(x.toLowerCase(), y.toLowerCase()) || byCodePoint(x, y);
    });
    fillSelect(competitionSelect, keys, competitionLabel);
    var years = {};
    rows.forEach(function (row) {
      if (row.year) years[row.year] = true;
    });
    fillSelect(yearSelect, Object.keys(years).sort().reverse(), function (y) {
      return y + "年";
    });
  }

  function query() {
    return {
      terms: normalise(words.value).split(/\s+/).filter(Boolean),
      tag: tagSelect.value,
      year: yearSelect.value,
      competition: competitionSelect.value,
    };
  }

  function hasTerms(row, terms) {
    for (var i = 0; i < terms.length; i++) {
      if (row.text.indexOf(terms[i]) === -1) return false;
    }
    return true;
  }

  // One pass: the matches, and the counts each choice of tag, year or competition
  // would give (with the other two choices kept).
  function filter(q) {
    var found = [];
    var byTag = {};
    var byYear = {};
    var byCompetition = {};
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (!hasTerms(row, q.terms)) continue;
      var tagOk = !q.tag || row.tags.indexOf(q.tag) !== -1;
      var yearOk = !q.year || row.year === q.year;
      var competitionOk = !q.competition || row.competitions.indexOf(q.competition) !== -1;
      if (tagOk && yearOk && competitionOk) found.push(row);
      if (yearOk && competitionOk) {
        for (var t = 0; t < row.tags.length; t++) byTag[row.tags[t]] = (byTag[row.tags[t]] || 0) + 1;
      }
      if (tagOk && competitionOk) byYear[row.year] = (byYear[row.year] || 0) + 1;
      if (tagOk && yearOk) {
        for (var c = 0; c < row.competitions.length; c++) {
          var key = row.competitions[c];
          byCompetition[key] = (byCompetition[key] || 0) + 1;
        }
      }
    }
    return { found: found, byTag: byTag, byYear: byYear, byCompetition: byCompetition };
  }

  function updateCounts(select, counts, label) {
    for (var i = 1; i < select.options.length; i++) {
      var option = select.options[i];
      var n = counts[option.value] || 0;
      option.textContent = label(option.value) + " (" + n + ")";
      option.disabled = n === 0 && option.value !== select.value;
    }
  }

  // A page of the book, or "" (links.json is data: a javascript: or foreign permalink is
  // never made a link).
  function bookHref(path) {
    var target = new URL(String(path || ""), bookRoot);
    var inBook = target.origin === bookRoot.origin && target.href.indexOf(bookRoot.href) === 0;
    return inBook && /^https?:$/.test(target.protocol) ? target.href : "";
  }

  function renderRow(row) {
    var link = row.link;
    var item = element("li", "wkn-finder-result");
    var title = element("a", "wkn-finder-title", link.title || link.url);
    var page = bookHref(link.permalink);
    if (page) title.href = page;
    item.append(title);
    var meta = element("p", "wkn-finder-meta");
    meta.append(element("span", "wkn-finder-site", link.site || ""));
    var issue = element("a", "wkn-finder-issue", "#" + link.issue);
    if (page) issue.href = page.split("#")[0];
    meta.append(" · ", issue, " · ", element("span", "wkn-finder-date", japaneseDate(link.date)));
    if (/^https?:\/\//i.test(link.url || "")) {
      var out = element("a", "wkn-finder-out", "↗");
      out.href = link.url;
      out.rel = "noopener";
      out.title = link.url;
      meta.append(" ", out);
    }
    item.append(meta);
    if (row.tags.length) {
      var chips = element("p", "wkn-finder-tags");
      row.tags.forEach(function (slug) {
        chips.append(element("span", "wkn-finder-tag", tagLabel(slug)));
      });
      item.append(chips);
    }
    return item;
  }

  function showMore() {
    var end = Math.min(shown + PAGE_SIZE, matches.length);
    var fragment = document.createDocumentFragment();
    for (var i = shown; i < end; i++) fragment.append(renderRow(matches[i]));
    list.append(fragment);
    shown = end;
    more.hidden = shown >= matches.length;
    more.textContent = "さらに表示（残り " + (matches.length - shown) + " 件）";
  }

  function remember(q) {
    var address = new URL(window.location.href);
    [["q", words.value.trim()], ["tag", q.tag], ["year", q.year], ["competition", q.competition]].forEach(function (pair) {
      if (pair[1]) address.searchParams.set(pair[0], pair[1]);
      else address.searchParams.delete(pair[0]);
    });
    if (address.href !== window.location.href) window.history.replaceState(null, "", address);
  }

  function update() {
    var q = query();
    var result = filter(q);
    matches = result.found;
    updateCounts(tagSelect, result.byTag, tagLabel);
    updateCounts(competitionSelect, result.byCompetition, competitionLabel);
    updateCounts(yearSelect, result.byYear, function (y) {
      return y + "年";
    });
    count.textContent = matches.length + " 件 / 全 " + rows.length + " 件";
    root.dataset.count = String(matches.length);
    list.replaceChildren();
    shown = 0;
    showMore();
    remember(q);
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    words.value = params.get("q") || "";
    tagSelect.value = params.get("tag") || "";
    yearSelect.value = params.get("year") || "";
    competitionSelect.value = params.get("competition") || "";
  }

  // links.json, fetched once, then shown for what the form holds.
  var loading = null;
  var loaded = false;
  function load() {
    if (!loading) {
      root.dataset.state = "loading";
      loading = fetch(root.dataset.source)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.statusText);
          return response.json();
        })
        .then(function (data) {
          prepare(data);
          setupSelects();
          update();
          loaded = true;
          root.dataset.state = "ready";
        })
        .catch(function (error) {
          count.textContent = "リンクを読み込めませんでした: " + error.message;
          root.dataset.state = "error";
          throw error;
        });
    }
    return loading;
  }

  // What the reader does before links.json is there is done once it is; after that, at
  // once (every keystroke filters before the next one).
  function afterLoad(action) {
    return function () {
      if (loaded) action();
      else load().then(action, function () {});
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  words.addEventListener("input", afterLoad(update));
  tagSelect.addEventListener("change", afterLoad(update));
  yearSelect.addEventListener("change", afterLoad(update));
  competitionSelect.addEventListener("change", afterLoad(update));
  more.addEventListener("click", afterLoad(showMore));
  ["focusin", "pointerdown", "keydown"].forEach(function (kind) {
    form.addEventListener(kind, afterLoad(function () {}), { once: true });
  });
  // An address with choices (a shared or reloaded search): the form takes them at once.
  if (window.location.search) {
    restore();
    load();
  }
})();
