// The search's matching, apart from the page (search.js draws it): what was typed is
// found exactly in the index of character pairs that ext/newsarchive/sphinxext/search_index.py
// writes, downloading only the shards and pages the query needs.
//
// Both sides fold text alike (fold: NFKC, which also folds widths, lower case, white space
// as one space). A word of one character is looked up by its own key (the entries holding
// it); a longer word by pairs of its characters at offsets 0, 2, 4 … and its last pair,
// which together fix every character: an entry holds the word where each pair occurs at
// its offset from one start.
//
// Results are issues, newest first, in two groups: issues holding every word as typed
// (exact), then issues holding a word only in the pieces a word segmenter cuts it into
// (apart). Postings come newest first in pages, so the first results are known once the
// newest pages are in: older pages are fetched only to show more or to count. A rare word of
// common pairs is found from its rare pairs and checked in the entries' own text
// (Engine.verified), so it does not read the common pairs' pages.

export const CARD = 0;
// Entries a query's rare keys lead to that do not hold its words, beyond which Engine.verified
// gives way to the postings (each costs a download).
export const VERIFY_MISSES = 8;
// A rare key's posting has at most this many pages (all read before its entries are).
export const RARE_PAGES = 2;
const SPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;

export function fold(text) {
  return String(text ?? "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(SPACE, " ");
}

// FNV-1a over the key's code points: search_index.key_hash.
export function keyHash(key) {
  let hash = 0x811c9dc5;
  for (const char of key) {
    hash ^= char.codePointAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function shardOf(key, shards) {
  return keyHash(key) % shards;
}

// Words of a query: "quoted phrases" kept whole, quotes otherwise ignored; words of
// punctuation alone are dropped (they would match everything or nothing).
export function parseQuery(raw, { maxWords = 8, maxLength = 200 } = {}) {
  const text = String(raw ?? "");
  const folded = fold(text.slice(0, maxLength)).trim();
  const words = [];
  for (const match of folded.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const word = (match[1] ?? match[2]).trim();
    if (word && !/^[\p{P}\p{S}]+$/u.test(word) && !words.includes(word)) words.push(word);
  }
  return { words: words.slice(0, maxWords), cut: text.length > maxLength || words.length > maxWords };
}

// The pieces a word segmenter cuts a Japanese word into (none: the word is one word).
// Words of Latin letters, digits and signs are matched as typed, never in pieces.
export function pieces(word, segmenter) {
  if (!segmenter || word.includes(" ") || /^[\p{ASCII}]*$/u.test(word)) return [];
  const found = [];
  for (const segment of segmenter.segment(word)) {
    const piece = segment.segment;
    if (segment.isWordLike && !/^[\p{ASCII}]$/u.test(piece) && !found.includes(piece)) found.push(piece);
  }
  return found.length > 1 ? found : [];
}

// The keys a word is looked up by, each with the offset it must occur at.
export function wordPlan(word) {
  const chars = Array.from(word);
  if (chars.length === 1) return { word, single: true, checks: [[chars[0], 0]] };
  const offsets = [];
  for (let i = 0; i + 2 <= chars.length; i += 2) offsets.push(i);
  if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
  return { word, single: false, checks: offsets.map((i) => [chars[i] + chars[i + 1], i]) };
}

// A key's occurrences as far as they are loaded: issue -> entry -> set of positions.
// ``cover``: every issue numbered ``cover`` or above is known (0: all; Infinity: none yet).
export class Posting {
  constructor(key) {
    this.key = key;
    this.byIssue = new Map();
    this.pages = [];
    this.lowest = [];
    this.loaded = 0;
    this.cover = Infinity;
  }

  // The key's value in its shard: absent (the key occurs nowhere), a whole posting, or
  // the names of its pages and the lowest issue of each.
  fromShard(value) {
    if (value === undefined || value === null) {
      this.cover = 0;
    } else if (Array.isArray(value)) {
      this.addPage(value);
      this.cover = 0;
    } else {
      this.pages = value.pages;
      this.lowest = value.lowest;
    }
  }

  addPage(page) {
    for (const [number, ...items] of page) {
      const entries = new Map();
      for (const [entry, ...deltas] of items) {
        const positions = new Set();
        let at = 0;
        for (const delta of deltas) {
          at += delta;
          positions.add(at);
        }
        entries.set(entry, positions);
      }
      this.byIssue.set(number, entries);
    }
  }

  nextPage() {
    return this.loaded < this.pages.length ? this.pages[this.loaded] : null;
  }

  pageLoaded(page) {
    this.addPage(page);
    this.loaded += 1;
    this.cover = this.loaded >= this.pages.length ? 0 : this.lowest[this.loaded - 1];
  }
}

// The entries of issue ``number`` that hold the word (its plan), given its keys' postings. A
// plan may check some of the word's keys only (see Engine.verified): its first check need not
// be at offset 0.
export function wordEntries(plan, postings, number) {
  const [firstKey, firstOffset] = plan.checks[0];
  const first = postings.get(firstKey).byIssue.get(number);
  const found = new Set();
  if (!first) return found;
  for (const [entry, positions] of first) {
    if (plan.single) {
      found.add(entry);
      continue;
    }
    for (const at of positions) {
      const start = at - firstOffset;
      const holds = plan.checks.every(([key, offset]) => {
        const entries = postings.get(key).byIssue.get(number);
        const where = entries && entries.get(entry);
        return Boolean(where) && where.has(start + offset);
      });
      if (holds) {
        found.add(entry);
        break;
      }
    }
  }
  return found;
}

// An entry's text as search_index.haystack joins it: title, site, excerpt, text, folded.
export function haystack(entry) {
  return entry.slice(2, 6).map(fold).join("\u0000");
}

// The part of the word a plan's checks cover, from the first key's start to the last key's end.
export function covered(plan) {
  const offsets = plan.checks.map(([, offset]) => offset);
  return Array.from(plan.word)
    .slice(Math.min(...offsets), Math.max(...offsets) + (plan.single ? 1 : 2))
    .join("");
}

// What a query needs: its words, their pieces, and the plan of each.
export function queryPlan(words, piecesOf) {
  const wordPieces = words.map((word) => piecesOf(word));
  return {
    words,
    wordPieces,
    plans: words.map(wordPlan),
    piecePlans: wordPieces.map((list) => list.map(wordPlan)),
  };
}

export function planKeys(plans) {
  return [...new Set(plans.flatMap((plan) => plan.checks.map(([key]) => key)))];
}

export function exactKeys(query) {
  return planKeys(query.plans);
}

export function pieceKeys(query) {
  return planKeys(query.piecePlans.flat()).filter((key) => !exactKeys(query).includes(key));
}

export function coverOf(keys, postings) {
  let cover = 0;
  for (const key of keys) cover = Math.max(cover, postings.get(key).cover);
  return cover;
}

// An issue's hits: for each entry holding a word or a piece, which words (exact) and
// which pieces of each word (found) it holds.
export function issueHits(query, postings, number, keep) {
  const hits = new Map();
  const hitOf = (entry) => {
    if (!hits.has(entry)) {
      hits.set(entry, {
        entry,
        exact: query.words.map(() => false),
        found: query.wordPieces.map((list) => list.map(() => false)),
      });
    }
    return hits.get(entry);
  };
  query.plans.forEach((plan, i) => {
    for (const entry of wordEntries(plan, postings, number)) if (keep(number, entry)) hitOf(entry).exact[i] = true;
  });
  query.piecePlans.forEach((plans, i) => {
    plans.forEach((plan, j) => {
      for (const entry of wordEntries(plan, postings, number)) if (keep(number, entry)) hitOf(entry).found[i][j] = true;
    });
  });
  return [...hits.values()];
}

// "exact" when the hits hold every word as typed, "apart" when each word is held as typed
// or in all its pieces, null otherwise. Words may be held by different entries.
export function classify(query, hits) {
  if (!hits.length) return null;
  const holds = query.words.map((_, i) => hits.some((hit) => hit.exact[i]));
  if (holds.every(Boolean)) return "exact";
  const inPieces = query.words.map(
    (_, i) =>
      holds[i] ||
      (query.wordPieces[i].length > 0 && query.wordPieces[i].every((_, j) => hits.some((hit) => hit.found[i][j]))),
  );
  return inPieces.every(Boolean) ? "apart" : null;
}

// Issues that may hold something of the query, at or above ``cover``, newest first.
export function candidateIssues(keys, postings, cover) {
  const numbers = new Set();
  for (const key of keys) {
    for (const number of postings.get(key).byIssue.keys()) if (number >= cover) numbers.add(number);
  }
  return [...numbers].sort((a, b) => b - a);
}

// The groups as far as the postings are loaded. ``exact`` is final for issues at or above
// ``exactCover``; ``apart`` for issues at or above ``cover`` (every key's), and only once the
// exact group is complete (exactCover 0).
export function evaluate(query, postings, keep) {
  const exactCover = coverOf(exactKeys(query), postings);
  const cover = Math.max(exactCover, coverOf(pieceKeys(query), postings));
  const exact = [];
  const apart = [];
  const firstWordKeys = planKeys([query.plans[0]]);
  for (const number of candidateIssues(firstWordKeys, postings, exactCover)) {
    const hits = issueHits(query, postings, number, keep);
    if (classify(query, hits) === "exact") exact.push({ number, hits, group: "exact" });
  }
  if (exactCover === 0) {
    const exactNumbers = new Set(exact.map((result) => result.number));
    const allKeys = [...exactKeys(query), ...pieceKeys(query)];
    for (const number of candidateIssues(allKeys, postings, cover)) {
      if (exactNumbers.has(number)) continue;
      const hits = issueHits(query, postings, number, keep);
      if (classify(query, hits) === "apart") apart.push({ number, hits, group: "apart" });
    }
  }
  return { exact, apart, exactCover, cover, complete: cover === 0 };
}

// The first ``wanted`` results can be shown (are final) for this evaluation.
export function enough(result, wanted) {
  if (result.exact.length >= wanted) return true;
  if (result.exactCover > 0) return false;
  return result.complete || result.exact.length + result.apart.length >= wanted;
}

// The keys whose next page moves the line above which the results are known.
export function keysToAdvance(query, postings, result) {
  const keys = result.exactCover > 0 ? exactKeys(query) : pieceKeys(query);
  const line = result.exactCover > 0 ? result.exactCover : result.cover;
  return keys.filter((key) => postings.get(key).cover === line && postings.get(key).nextPage());
}

// Entry references (search_index._refs): issue groups, newest first -> Set of "n:e".
export function decodeRefs(flat) {
  const refs = new Set();
  let number = 0;
  let i = 0;
  while (i < flat.length) {
    number = number ? number - flat[i] : flat[i];
    const count = flat[i + 1];
    for (let j = 0; j < count; j++) refs.add(`${number}:${flat[i + 2 + j]}`);
    i += 2 + count;
  }
  return refs;
}

// The issue numbers of the index's runs ([highest, lowest]), newest first.
export function issueNumbers(runs) {
  const numbers = [];
  for (const [high, low] of runs) for (let n = high; n >= low; n--) numbers.push(n);
  return numbers;
}

// The year of an issue, from the index's runs of years ([year, highest, lowest]).
export function yearOf(years, number) {
  for (const [year, high, low] of years) if (number <= high && number >= low) return year;
  return "";
}

// The search engine: the index's files through ``load(name)`` (a promise of parsed JSON).
export class Engine {
  constructor(meta, load) {
    this.meta = meta;
    this.load = load;
    this.shards = new Map();
    this.postings = new Map();
    this.issues = new Map();
    this.entries = new Map();
  }

  shard(number) {
    if (!this.shards.has(number)) this.shards.set(number, this.load(`s/${number}.json`));
    return this.shards.get(number);
  }

  async posting(key) {
    if (!this.postings.has(key)) {
      const posting = new Posting(key);
      this.postings.set(key, posting);
      posting.ready = this.shard(shardOf(key, this.meta.shards)).then((shard) => {
        posting.fromShard(Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : undefined);
      });
    }
    const posting = this.postings.get(key);
    await posting.ready;
    return posting;
  }

  async advance(posting) {
    const name = posting.nextPage();
    if (!name) return;
    if (!posting.pending) {
      posting.pending = this.load(name).then((page) => {
        posting.pageLoaded(page);
        posting.pending = null;
      });
    }
    await posting.pending;
  }

  // An issue with every entry (the list of every link).
  issue(number) {
    if (!this.issues.has(number)) this.issues.set(number, this.load(`i/${number}.json`));
    return this.issues.get(number);
  }

  // One entry of an issue, with the issue's number, date, title and page (a result shows
  // a few entries of its issue: only those are downloaded).
  entry(number, entry) {
    const name = `e/${number}/${entry}.json`;
    if (!this.entries.has(name)) this.entries.set(name, this.load(name));
    return this.entries.get(name);
  }

  // An issue with the given entries only (the others are left undefined).
  async issueWith(number, entries) {
    const loaded = await Promise.all(entries.map((entry) => this.entry(number, entry)));
    if (!loaded.length) return this.issue(number);
    const { n, date, title, page } = loaded[0];
    const issue = { n, date, title, page, entries: [] };
    entries.forEach((entry, i) => {
      issue.entries[entry] = loaded[i].entry;
    });
    return issue;
  }

  // Evaluate the query until its first ``wanted`` results are final (or, with
  // ``everything``, until every page is in, so the counts are whole).
  async search(query, keep, wanted, { everything = false } = {}) {
    const keys = [...exactKeys(query), ...pieceKeys(query)];
    await Promise.all(keys.map((key) => this.posting(key)));
    if (!everything) {
      const verified = await this.verified(query, keep, wanted);
      if (verified) return verified;
    }
    for (;;) {
      const result = evaluate(query, this.postings, keep);
      if (result.complete || (!everything && enough(result, wanted))) return result;
      let next = keysToAdvance(query, this.postings, result);
      if (!next.length) next = keys.filter((key) => this.postings.get(key).nextPage());
      if (!next.length) return result;
      await Promise.all(next.map((key) => this.advance(this.postings.get(key))));
    }
  }

  // The checks a word is found by from its rare keys, or null: the two keys (all, if it has
  // fewer) whose postings have the fewest pages, RARE_PAGES at most, not inside one
  // piece of the word (テーブル of テーブルデータ leads to テーブル, mostly without the word).
  rareChecks(plan, wordPieces) {
    const pagesOf = (key) => this.postings.get(key).pages.length;
    const checks = [...plan.checks].sort((a, b) => pagesOf(a[0]) - pagesOf(b[0])).slice(0, 2);
    if (checks.some(([key]) => pagesOf(key) > RARE_PAGES)) return null;
    // Worth it only when reading these keys whole costs fewer pages than the first page of
    // every paged key of the word would.
    const cost = checks.reduce((sum, [key]) => sum + pagesOf(key), 0);
    if (cost >= plan.checks.filter(([key]) => pagesOf(key) > 0).length) return null;
    const rare = { ...plan, checks };
    return wordPieces.some((piece) => piece.includes(covered(rare))) ? null : rare;
  }

  // The first ``wanted`` exact results, the words with rare keys found from those keys alone
  // and checked in the entries' own text, the others by their postings; or null (then the
  // postings decide for every word). A rare word of common pairs (EfficientNet) would
  // otherwise read every pair's pages down to its tenth issue; its entries are downloaded
  // to be shown anyway.
  async verified(query, keep, wanted) {
    const postingOf = (key) => this.postings.get(key);
    if (exactKeys(query).every((key) => postingOf(key).cover === 0)) return null;
    const rare = query.plans.map((plan, i) => this.rareChecks(plan, query.wordPieces[i]));
    const first = rare.find(Boolean);
    if (!first) return null;
    const openKeys = planKeys(query.plans.filter((_, i) => !rare[i]));
    await Promise.all(
      planKeys(rare.filter(Boolean)).map(async (key) => {
        while (postingOf(key).nextPage()) await this.advance(postingOf(key));
      }),
    );
    const exact = [];
    let misses = 0;
    let checked = Infinity; // every issue numbered this or above is checked
    for (;;) {
      // The words without rare keys are known for the issues at or above their postings' line.
      const line = coverOf(openKeys, this.postings);
      const candidates = [];
      for (const number of candidateIssues(planKeys([first]), this.postings, line)) {
        if (number >= checked) continue;
        const entries = query.plans.map((plan, i) =>
          [...wordEntries(rare[i] || plan, this.postings, number)].filter((entry) => keep(number, entry)),
        );
        if (entries.every((list) => list.length)) candidates.push([number, entries]);
      }
      for (let at = 0; at < candidates.length; ) {
        const batch = candidates.slice(at, at + wanted - exact.length);
        at += batch.length;
        const texts = await Promise.all(batch.map(([number, entries]) => this.verifiedHits(query, rare, number, entries)));
        batch.forEach(([number], i) => {
          misses += texts[i].misses;
          if (classify(query, texts[i].hits) === "exact") exact.push({ number, hits: texts[i].hits, group: "exact" });
        });
        if (exact.length >= wanted) {
          const last = batch[batch.length - 1][0];
          return { exact, apart: [], exactCover: last, cover: last, complete: false };
        }
        if (misses > VERIFY_MISSES) return null;
      }
      checked = line;
      if (line === 0) break;
      const next = openKeys.filter((key) => postingOf(key).cover === line && postingOf(key).nextPage());
      await Promise.all(next.map((key) => this.advance(postingOf(key))));
    }
    // Every exact issue is found: whole, unless words may be held apart in their pieces.
    return pieceKeys(query).length ? null : { exact, apart: [], exactCover: 0, cover: 0, complete: true };
  }

  // An issue's hits: the rare words' candidate entries read and checked in their text, the
  // other words' entries as their postings give them; ``misses``, the entries read in vain.
  async verifiedHits(query, rare, number, entries) {
    const hits = new Map();
    const hitOf = (entry) => {
      if (!hits.has(entry)) {
        const found = query.wordPieces.map((list) => list.map(() => false));
        hits.set(entry, { entry, exact: query.words.map(() => false), found });
      }
      return hits.get(entry);
    };
    const toRead = [...new Set(entries.filter((_, i) => rare[i]).flat())];
    const texts = await Promise.all(toRead.map((entry) => this.entry(number, entry)));
    let misses = 0;
    toRead.forEach((entry, j) => {
      const text = haystack(texts[j].entry);
      const held = query.words.map((word, i) => Boolean(rare[i]) && text.includes(word));
      if (held.some(Boolean)) held.forEach((holds, i) => holds && (hitOf(entry).exact[i] = true));
      else misses += 1;
    });
    entries.forEach((list, i) => {
      if (!rare[i]) for (const entry of list) hitOf(entry).exact[i] = true;
    });
    return { hits: [...hits.values()], misses }; // in no order: the page sorts an issue's hits
  }
}
