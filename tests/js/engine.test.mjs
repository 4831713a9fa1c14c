// searchcore.js against a real index: the one search_index.py wrote for the fixture project
// (tests/js/searchcore_fixture.py), read through a fake fetch that records what is asked.
// What the index should answer is found again from the issue files' text alone.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  CARD,
  Engine,
  Posting,
  decodeRefs,
  exactKeys,
  fold,
  issueNumbers,
  parseQuery,
  pieceKeys,
  pieces,
  queryPlan,
  shardOf,
  yearOf,
} from "../../ext/newsarchive/sphinxext/static/searchcore.js";
import { INDEX, fakeLoad, python, readIndex } from "./fixture.mjs";

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });
const meta = readIndex("meta.json");
const numbersOnDisk = readdirSync(join(INDEX, "i"))
  .map((name) => Number(name.replace(".json", "")))
  .sort((a, b) => b - a);
const issues = new Map(numbersOnDisk.map((n) => [n, readIndex(`i/${n}.json`)]));
const fromDisk = (name) => readIndex(name);
const keepAll = () => true;

// An entry's text as search_index.haystack joins it: title, site, excerpt, text.
const haystackOf = (entry) => entry.slice(2, 6).map(fold).join("\u0000");

// Every key of every entry, found in the text: key -> issue -> entry -> positions.
function keysOfText() {
  const found = new Map();
  const add = (key, number, entry, position) => {
    if (!found.has(key)) found.set(key, new Map());
    const byIssue = found.get(key);
    if (!byIssue.has(number)) byIssue.set(number, new Map());
    const byEntry = byIssue.get(number);
    if (!byEntry.has(entry)) byEntry.set(entry, []);
    if (position !== null) byEntry.get(entry).push(position);
  };
  for (const [number, issue] of issues) {
    issue.entries.forEach((entry, serial) => {
      const chars = Array.from(haystackOf(entry));
      chars.forEach((char, i) => {
        if (char === "\u0000") return;
        add(char, number, serial, null);
        if (i + 1 < chars.length && chars[i + 1] !== "\u0000") add(char + chars[i + 1], number, serial, i);
      });
    });
  }
  return found;
}

// What the search must find for a query, from the text: the issues holding every word
// (exact), then the others holding each word or all its pieces (apart), newest first; for
// each, the entries holding a word or a piece.
function expected(query, keep = keepAll) {
  const exact = [];
  const apart = [];
  for (const [number, issue] of issues) {
    const texts = issue.entries.map((entry, serial) => (keep(number, serial) ? haystackOf(entry) : null));
    const held = (word) => texts.some((text) => text !== null && text.includes(word));
    const holds = query.words.map(held);
    const inPieces = query.words.map((_, i) => holds[i] || (query.wordPieces[i].length > 0 && query.wordPieces[i].every(held)));
    const all = [...query.words, ...query.wordPieces.flat()];
    const entries = texts.flatMap((text, serial) => (text !== null && all.some((w) => text.includes(w)) ? [serial] : []));
    if (holds.every(Boolean)) exact.push({ number, entries });
    else if (inPieces.every(Boolean)) apart.push({ number, entries });
  }
  return { exact, apart };
}

const found = (results) =>
  results.map((result) => ({ number: result.number, entries: result.hits.map((hit) => hit.entry).sort((a, b) => a - b) }));
const planOf = (text) => {
  const { words } = parseQuery(text);
  return queryPlan(words, (word) => pieces(word, segmenter));
};
const QUERIES = [
  "機械学習",
  "形態素解析",
  "データ分析",
  "データ",
  "ータ分",
  "bert",
  "BERT 翻訳",
  "ＬｉｇｈｔＧＢＭ 勾配ブースティング",
  "機械",
  "x",
  "分",
  '"search news #1"',
  "search news",
  "機械学習 分析",
  "自然言語処理",
  "存在しない",
];

describe("the index search_index.py wrote", () => {
  it("has several shards, each holding the keys its hash names", () => {
    assert.ok(meta.shards > 1);
    let keys = 0;
    for (let n = 0; n < meta.shards; n++) {
      for (const key of Object.keys(readIndex(`s/${n}.json`))) {
        assert.equal(shardOf(key, meta.shards), n, key);
        keys += 1;
      }
    }
    assert.ok(keys > 1000);
  });

  it("holds every key of every entry where the text has it, and no other", () => {
    const text = keysOfText();
    const index = new Map();
    let paged = 0;
    for (let n = 0; n < meta.shards; n++) {
      for (const [key, value] of Object.entries(readIndex(`s/${n}.json`))) {
        const posting = new Posting(key);
        posting.fromShard(value);
        paged += posting.pages.length > 1 ? 1 : 0;
        while (posting.nextPage()) posting.pageLoaded(readIndex(posting.nextPage()));
        assert.equal(posting.cover, 0);
        index.set(key, posting);
      }
    }
    assert.ok(paged > 0, "some postings are cut into pages");
    assert.deepEqual([...index.keys()].sort(), [...text.keys()].sort());
    for (const [key, byIssue] of text) {
      const posting = index.get(key);
      assert.deepEqual([...posting.byIssue.keys()], [...byIssue.keys()], key); // newest first
      for (const [number, byEntry] of byIssue) {
        const entries = posting.byIssue.get(number);
        assert.deepEqual([...entries.keys()], [...byEntry.keys()], `${key} in #${number}`);
        for (const [entry, positions] of byEntry) assert.deepEqual([...entries.get(entry)], positions);
      }
    }
  });

  it("lists its issues newest first, each in its year", () => {
    assert.deepEqual(issueNumbers(meta.issues), numbersOnDisk);
    assert.ok(meta.issues.length > 1, "numbers with a gap make two runs");
    for (const [number, issue] of issues) assert.equal(yearOf(meta.years, number), issue.date.slice(0, 4));
    assert.equal(yearOf(meta.years, Math.max(...numbersOnDisk) + 1), "");
  });

  it("names the entries of each tag, site and competition", () => {
    const refsWhere = (test) => {
      const refs = [];
      for (const [number, issue] of issues)
        issue.entries.forEach((entry, serial) => test(entry) && refs.push(`${number}:${serial}`));
      return refs.sort();
    };
    const tags = readIndex("f/tags.json");
    assert.deepEqual(Object.keys(tags).sort(), Object.keys(meta.tags).sort());
    for (const [slug, flat] of Object.entries(tags)) {
      assert.deepEqual([...decodeRefs(flat)].sort(), refsWhere((e) => e[0] === CARD && e[6].includes(slug)), slug);
    }
    for (const [site, flat] of Object.entries(readIndex("f/sites.json"))) {
      assert.deepEqual([...decodeRefs(flat)].sort(), refsWhere((e) => e[0] === CARD && e[3] === site), site);
    }
    const competitions = readIndex("f/competitions.json");
    assert.ok(competitions.length > 0);
    for (const [key, , flat] of competitions) {
      assert.deepEqual([...decodeRefs(flat)].sort(), refsWhere((e) => e[7].includes(key)), key);
    }
    assert.equal(python.ref, meta.ref);
  });
});

describe("Engine.search on the index", () => {
  for (const text of QUERIES) {
    it(`finds what the text holds: ${text}`, async () => {
      const query = planOf(text);
      const want = expected(query);
      const engine = new Engine(meta, fakeLoad(fromDisk).load);
      const result = await engine.search(query, keepAll, Infinity, { everything: true });
      assert.equal(result.complete, true);
      assert.deepEqual(found(result.exact), want.exact);
      assert.deepEqual(found(result.apart), want.apart);
    });
  }

  it("finds the words in both groups and in pieces, as the queries were chosen to", () => {
    const machine = expected(planOf("機械学習"));
    assert.ok(machine.exact.length >= 2 && machine.apart.length >= 2);
    assert.ok(machine.apart[0].number > machine.exact[machine.exact.length - 1].number);
    assert.ok(expected(planOf("存在しない")).exact.length === 0);
  });

  it("finds only in the entries kept", async () => {
    const tags = readIndex("f/tags.json");
    const nlp = decodeRefs(tags.nlp);
    const keep = (number, entry) => nlp.has(`${number}:${entry}`);
    for (const text of ["機械学習", "bert", "データ"]) {
      const query = planOf(text);
      const engine = new Engine(meta, fakeLoad(fromDisk).load);
      const result = await engine.search(query, keep, Infinity, { everything: true });
      const want = expected(query, keep);
      assert.deepEqual([found(result.exact), found(result.apart)], [want.exact, want.apart], text);
    }
  });

  it("fetches only the newest pages for the first results, the older ones for more", async () => {
    const query = planOf("データ分析");
    const want = expected(query).exact.map((result) => result.number);
    assert.ok(want.length >= 4);
    const shards = new Set([...exactKeys(query), ...pieceKeys(query)].map((key) => `s/${shardOf(key, meta.shards)}.json`));

    const first = fakeLoad(fromDisk);
    const engine = new Engine(meta, first.load);
    const result = await engine.search(query, keepAll, 1);
    assert.deepEqual(result.exact.map((r) => r.number).slice(0, 1), want.slice(0, 1));
    const pages = first.asked.filter((name) => name.startsWith("p/"));
    assert.ok(pages.length > 0 && pages.every((name) => name.endsWith("-0.json")), pages.join());
    assert.deepEqual(new Set(first.asked.filter((name) => name.startsWith("s/"))), shards);
    assert.equal(first.asked.length, new Set(first.asked).size, "no file is fetched twice");
    assert.equal(result.complete, false);

    const more = await engine.search(query, keepAll, want.length);
    assert.deepEqual(more.exact.map((r) => r.number), want);
    assert.ok(first.asked.some((name) => name.endsWith("-1.json")));
    assert.equal(first.asked.length, new Set(first.asked).size, "no file is fetched twice");
  });

  it("counts everything only when asked to", async () => {
    const query = planOf("データ");
    const loads = fakeLoad(fromDisk);
    const engine = new Engine(meta, loads.load);
    const some = await engine.search(query, keepAll, 1);
    assert.equal(some.complete, false);
    const all = await engine.search(query, keepAll, 1, { everything: true });
    assert.equal(all.complete, true);
    assert.deepEqual(found(all.exact), expected(query).exact);
  });

  it("fetches nothing but the shards for words the index does not hold", async () => {
    const query = planOf("存在しない");
    const loads = fakeLoad(fromDisk);
    const result = await new Engine(meta, loads.load).search(query, keepAll, 10);
    assert.deepEqual([result.exact, result.apart, result.complete], [[], [], true]);
    assert.ok(loads.asked.every((name) => name.startsWith("s/")));
  });
});

describe("Engine's issues and entries", () => {
  const [number, issue] = [...issues].find(([, value]) => value.entries.length >= 4);

  it("has a file per entry holding its issue's head and the entry as the issue file has it", () => {
    for (const [n, value] of issues) {
      assert.deepEqual(readdirSync(join(INDEX, "e", String(n))).sort(), value.entries.map((_, e) => `${e}.json`).sort());
      value.entries.forEach((entry, e) => {
        const { n: head, date, title, page } = value;
        assert.deepEqual(readIndex(`e/${n}/${e}.json`), { n: head, date, title, page, entry });
      });
    }
  });

  it("fetches an entry once, however many ask", async () => {
    const loads = fakeLoad(fromDisk);
    const engine = new Engine(meta, loads.load);
    const [one, again] = await Promise.all([engine.entry(number, 1), engine.entry(number, 1)]);
    assert.equal(one, again);
    assert.deepEqual(one.entry, issue.entries[1]);
    assert.deepEqual((await engine.entry(number, 2)).entry, issue.entries[2]);
    assert.deepEqual(await engine.entry(number, 1), one);
    assert.deepEqual(loads.asked, [`e/${number}/1.json`, `e/${number}/2.json`]);
  });

  it("shows an issue with the entries asked for only, fetching those alone", async () => {
    const loads = fakeLoad(fromDisk);
    const engine = new Engine(meta, loads.load);
    const shown = await engine.issueWith(number, [3, 1]);
    assert.deepEqual(loads.asked, [`e/${number}/3.json`, `e/${number}/1.json`]);
    assert.deepEqual([shown.n, shown.date, shown.title, shown.page], [issue.n, issue.date, issue.title, issue.page]);
    assert.equal(shown.entries.length, 4);
    assert.deepEqual([shown.entries[1], shown.entries[3]], [issue.entries[1], issue.entries[3]]);
    assert.deepEqual([0 in shown.entries, 2 in shown.entries], [false, false]);
    assert.deepEqual(Object.keys(shown).sort(), ["date", "entries", "n", "page", "title"]);
  });

  it("shows the whole issue when no entry is asked for", async () => {
    const loads = fakeLoad(fromDisk);
    const engine = new Engine(meta, loads.load);
    const whole = await engine.issueWith(number, []);
    assert.deepEqual(whole, issue);
    assert.equal(whole, await engine.issue(number));
    assert.deepEqual(loads.asked, [`i/${number}.json`]);
  });
});

describe("Engine on the small index", () => {
  const sample = python.sample;
  const files = sample.files;
  const sampleMeta = { shards: sample.shards };
  const abc = queryPlan(["abc"], () => []);
  const ab = files["s/0.json"].ab.pages;
  const bc = files["s/0.json"].bc.pages;

  it("fetches a posting's pages only as far as the results need", async () => {
    const cases = [
      [1, [12], ["s/0.json", ab[0], bc[0]]],
      [2, [12, 10], ["s/0.json", ab[0], bc[0], ab[1], bc[1]]],
      [3, [12, 10, 1], ["s/0.json", ab[0], bc[0], ab[1], bc[1], ab[2]]],
    ];
    for (const [wanted, exact, asked] of cases) {
      const loads = fakeLoad(files);
      const result = await new Engine(sampleMeta, loads.load).search(abc, keepAll, wanted);
      assert.deepEqual(result.exact.map((r) => r.number), exact, `${wanted}`);
      assert.deepEqual(loads.asked, asked, `${wanted}`);
    }
  });

  it("fetches the pieces' pages once the exact group is complete", async () => {
    const query = queryPlan(["pqrst"], () => ["pqr", "st"]);
    const qr = files["s/0.json"].qr.pages;
    const loads = fakeLoad(files);
    const engine = new Engine(sampleMeta, loads.load);
    const one = await engine.search(query, keepAll, 1);
    // The exact group is complete from the shard alone: the pieces are not fetched for it.
    assert.deepEqual([one.exact.map((r) => r.number), loads.asked], [[4], ["s/0.json"]]);
    assert.equal(one.complete, false);
    const two = await engine.search(query, keepAll, 2);
    assert.deepEqual([two.apart.map((r) => r.number), loads.asked], [[2], ["s/0.json", qr[0], qr[1]]]);
    assert.equal(two.complete, true);
  });

  it("fetches a shard, a page and an issue once, however many ask", async () => {
    const loads = fakeLoad(files);
    const engine = new Engine(sampleMeta, loads.load);
    const [first, again, other] = await Promise.all([engine.posting("ab"), engine.posting("ab"), engine.posting("bc")]);
    assert.equal(first, again);
    assert.equal(first.key, "ab");
    assert.equal(other.key, "bc");
    assert.deepEqual(loads.asked, ["s/0.json"]);
    await Promise.all([engine.advance(first), engine.advance(first)]);
    assert.deepEqual(loads.asked, ["s/0.json", ab[0]]);
    assert.equal(first.loaded, 1);
    assert.equal(first.pending, null);
    await engine.advance(first);
    await engine.advance(first);
    await engine.advance(first);
    assert.deepEqual(loads.asked, ["s/0.json", ab[0], ab[1], ab[2]]);
    assert.equal(first.cover, 0);

    const issueFiles = { "i/4.json": { n: 4 } };
    const issueLoads = fakeLoad(issueFiles);
    const reader = new Engine(sampleMeta, issueLoads.load);
    const [four, fourAgain] = await Promise.all([reader.issue(4), reader.issue(4)]);
    assert.deepEqual(four, { n: 4 });
    assert.equal(four, fourAgain);
    assert.deepEqual(await reader.issue(4), { n: 4 });
    assert.deepEqual(issueLoads.asked, ["i/4.json"]);
  });

  it("reads a key the shard does not hold as found nowhere", async () => {
    const loads = fakeLoad(files);
    const engine = new Engine(sampleMeta, loads.load);
    const posting = await engine.posting("zz");
    assert.deepEqual([posting.cover, posting.byIssue.size, posting.nextPage()], [0, 0, null]);
    const inherited = await engine.posting("constructor");
    assert.deepEqual([inherited.cover, inherited.byIssue.size], [0, 0]);
    const shardOfKey = await engine.posting("x");
    assert.deepEqual([...shardOfKey.byIssue.keys()], [12, 10, 9]);
  });

  it("asks the shard its key's hash names", async () => {
    const loads = fakeLoad((name) => ({ [name.slice(2, -5) === String(shardOf("ab", 7)) ? "ab" : "none"]: [[3, [0, 0]]] }));
    const engine = new Engine({ shards: 7 }, loads.load);
    const posting = await engine.posting("ab");
    assert.deepEqual(loads.asked, [`s/${shardOf("ab", 7)}.json`]);
    assert.deepEqual([...posting.byIssue.keys()], [3]);
  });
});
