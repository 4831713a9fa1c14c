// Engine.verified: a word's rare keys lead to candidate entries, checked in their own text,
// so a rare word of common pairs does not read the common pairs' pages. Checked against the
// fixture's real index (tests/js/searchcore_fixture.py) and its index built for this
// (VERIFY_ISSUES), and always against the answer the postings alone give.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  Engine,
  Posting,
  RARE_PAGES,
  VERIFY_MISSES,
  covered,
  exactKeys,
  haystack,
  parseQuery,
  pieceKeys,
  pieces,
  queryPlan,
  shardOf,
  wordPlan,
} from "../../ext/newsarchive/sphinxext/static/searchcore.js";
import { INDEX, fakeLoad, python, readIndex } from "./fixture.mjs";

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });
const keepAll = () => true;
const planOf = (text) => queryPlan(parseQuery(text).words, (word) => pieces(word, segmenter));

// The pages of a key, as its shard names them ([] for a key held in its shard).
function pagesOf(files, meta, key) {
  const value = files(`s/${shardOf(key, meta.shards)}.json`)[key];
  return value && !Array.isArray(value) ? value.pages : [];
}

// The exact results' issues and, for each, the entries holding a word as typed.
const exactOf = (result) =>
  result.exact.map((found) => ({
    number: found.number,
    entries: found.hits
      .filter((hit) => hit.exact.some(Boolean))
      .map((hit) => hit.entry)
      .sort((a, b) => a - b),
  }));

describe("haystack", () => {
  it("joins an entry's title, site, excerpt and text as search_index.haystack does", () => {
    for (const [fields, joined] of python.haystack) {
      assert.equal(haystack([0, "anchor", ...fields, ...Array(4 - fields.length).fill(""), ["tag"], []]).split("\u0000").slice(0, fields.length).join("\u0000"), joined);
    }
    assert.equal(haystack([0, "a", "Ｔｉｔｌｅ", "Site", "Ex  cerpt", "TEXT", ["t"], ["k"]]), "title\u0000site\u0000ex cerpt\u0000text");
  });
});

describe("Engine.verified on the fixture's index", () => {
  const meta = readIndex("meta.json");
  const fromDisk = (name) => readIndex(name);
  const numbers = readdirSync(join(INDEX, "i")).length;

  it("finds a rare word of paged pairs without their pages", async () => {
    const query = planOf("データ分析の例");
    const [common, rare] = [["デー", "タ分"], ["析の", "の例"]];
    for (const key of common) assert.ok(pagesOf(fromDisk, meta, key).length > 1, key);
    for (const key of rare) assert.deepEqual(pagesOf(fromDisk, meta, key), [], key);
    const whole = await new Engine(meta, fakeLoad(fromDisk).load).search(query, keepAll, Infinity, { everything: true });
    assert.deepEqual(whole.exact.map((found) => found.number), [11, 9]);
    for (const wanted of [1, 2]) {
      const loads = fakeLoad(fromDisk);
      const result = await new Engine(meta, loads.load).search(query, keepAll, wanted);
      assert.deepEqual(exactOf(result).slice(0, wanted), exactOf(whole).slice(0, wanted), `${wanted}`);
      assert.deepEqual(loads.asked.filter((name) => name.startsWith("p/")), [], `${wanted}`);
      // #10 holds the rare pairs, not the word: its entry is read and left out.
      assert.equal(loads.asked.some((name) => name.startsWith("e/10/")), wanted === 2, `${wanted}`);
      assert.deepEqual([result.complete, result.exactCover], [false, wanted === 1 ? 11 : 9], `${wanted}`);
    }
  });

  it("gives the postings' own first results for every query and every number wanted", async () => {
    const queries = ["データ分析の例", "データ分析", "データ 分析の例", "析の例", "機械学習", "bert 翻訳", "lightgbm", "search news"];
    for (const text of queries) {
      const query = planOf(text);
      const whole = await new Engine(meta, fakeLoad(fromDisk).load).search(query, keepAll, Infinity, { everything: true });
      for (let wanted = 1; wanted <= Math.min(numbers, whole.exact.length + 1); wanted++) {
        const result = await new Engine(meta, fakeLoad(fromDisk).load).search(query, keepAll, wanted);
        const shown = Math.min(wanted, whole.exact.length);
        assert.deepEqual(exactOf(result).slice(0, shown), exactOf(whole).slice(0, shown), `${text} ${wanted}`);
      }
    }
  });
});

describe("Engine.verified on an index built for it", () => {
  const files = python.verifySample;
  const meta = files["meta.json"];
  const fromTable = (name) => {
    if (!Object.prototype.hasOwnProperty.call(files, name)) throw new Error(`no file ${name}`);
    return structuredClone(files[name]);
  };
  const abcdef = planOf("abcdef");
  const entriesAsked = (asked) => asked.filter((name) => name.startsWith("e/"));
  const pagesAsked = (asked, key) => {
    const pages = pagesOf(fromTable, meta, key);
    return asked.filter((name) => pages.includes(name));
  };
  const search = async (query, keep, wanted, options) => {
    const loads = fakeLoad(fromTable);
    const engine = new Engine(meta, loads.load);
    const result = await engine.search(query, keep, wanted, options);
    return { result, asked: loads.asked, engine };
  };
  const whole = async (query, keep = keepAll) => (await search(query, keep, Infinity, { everything: true })).result;

  it("holds the rare pairs (a page each) without the word in ten issues before four that hold it", () => {
    assert.ok(pagesOf(fromTable, meta, "ab").length > 2);
    assert.deepEqual([pagesOf(fromTable, meta, "cd").length, pagesOf(fromTable, meta, "ef").length], [1, 1]);
    assert.ok(VERIFY_MISSES < 10);
  });

  it("reads the rare pairs' pages, never the common pair's", async () => {
    const keep = (number) => number <= 8;
    const { result, asked } = await search(abcdef, keep, 1);
    assert.deepEqual(exactOf(result), [{ number: 4, entries: [0] }]);
    assert.deepEqual([pagesAsked(asked, "cd").length, pagesAsked(asked, "ef").length, pagesAsked(asked, "ab")], [1, 1, []]);
    assert.equal(result.exact[0].group, "exact");
  });

  it("gives way to the postings after more than VERIFY_MISSES entries without the word", async () => {
    const { result, asked } = await search(abcdef, keepAll, 1);
    assert.deepEqual(exactOf(result).slice(0, 1), [{ number: 4, entries: [0] }]);
    assert.equal(entriesAsked(asked).length, VERIFY_MISSES + 1);
    assert.ok(pagesAsked(asked, "ab").length > 0);
  });

  it("reads the candidates newest first, as many at once as results are missing", async () => {
    const keep = (number) => number <= 8;
    const { result, asked } = await search(abcdef, keep, 3);
    assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2]);
    // Three at once (#8..#6, none), three (#5..#3, two), then one: #1 is not read.
    assert.deepEqual(entriesAsked(asked), [8, 7, 6, 5, 4, 3, 2].map((number) => `e/${number}/0.json`));
    assert.deepEqual(pagesAsked(asked, "ab"), []);
    assert.deepEqual([result.exactCover, result.cover, result.complete, result.apart], [2, 2, false, []]);
  });

  it("is whole once every candidate is read and the words have no pieces", async () => {
    const keep = (number) => number <= 8;
    const { result, asked } = await search(abcdef, keep, 10);
    assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2, 1]);
    assert.deepEqual([result.exactCover, result.cover, result.complete, result.apart], [0, 0, true, []]);
    assert.deepEqual(pagesAsked(asked, "ab"), []);
    assert.equal(entriesAsked(asked).length, 8);
  });

  it("leaves words with pieces to the postings once the candidates run out", async () => {
    const keep = (number) => number <= 8;
    const query = queryPlan(["abcdef"], () => ["abc", "def"]);
    assert.ok(pieceKeys(query).length > 0);
    const { result, asked } = await search(query, keep, 10);
    assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2, 1]);
    assert.equal(result.complete, true);
    assert.ok(pagesAsked(asked, "ab").length > 0);
  });

  it("reads no entry to count, nor once the postings are whole", async () => {
    const counted = await search(abcdef, keepAll, 1, { everything: true });
    assert.deepEqual(entriesAsked(counted.asked), []);
    assert.equal(counted.result.complete, true);
    // Every page in from the count: a later search answers from the postings alone.
    const loads = fakeLoad(fromTable);
    const engine = new Engine(meta, loads.load);
    await engine.search(abcdef, keepAll, Infinity, { everything: true });
    const again = await engine.search(abcdef, keepAll, 1);
    assert.deepEqual(exactOf(again).slice(0, 1), [{ number: 4, entries: [0] }]);
    assert.deepEqual(entriesAsked(loads.asked), []);
  });

  it("leaves a word to the postings when its rare pairs lie inside one of its pieces", async () => {
    // The rare pairs of "abcdef" cover "cdef": a piece of its own, found mostly without "ab".
    const inOnePiece = queryPlan(["abcdef"], () => ["ab", "cdef"]);
    const one = await search(inOnePiece, keepAll, 1);
    assert.deepEqual(exactOf(one.result).slice(0, 1), [{ number: 4, entries: [0] }]);
    assert.deepEqual(entriesAsked(one.asked), []);
    // Pieces the rare pairs run across do not stop it.
    const across = await search(queryPlan(["abcdef"], () => ["abc", "def"]), (number) => number <= 8, 1);
    assert.ok(entriesAsked(across.asked).length > 0);
  });

  it("keeps to the entries kept, reading no other", async () => {
    const keep = (number, entry) => number <= 2 && entry === 0;
    const { result, asked } = await search(abcdef, keep, 1);
    assert.deepEqual(exactOf(result), [{ number: 2, entries: [0] }]);
    assert.deepEqual(entriesAsked(asked), ["e/2/0.json"]);
  });

  it("finds a word without rare keys by its postings beside a word found by its rare keys", async () => {
    const query = planOf("abcdef ab");
    const keep = (number) => number <= 8;
    const all = await whole(query, keep);
    assert.deepEqual(exactOf(all).map((found) => found.number), [4, 3, 2, 1]);
    for (const wanted of [1, 2, 4]) {
      const { result, asked } = await search(query, keep, wanted);
      assert.deepEqual(exactOf(result).slice(0, wanted), exactOf(all).slice(0, wanted), `${wanted}`);
      // Only "abcdef"'s candidates are read (entry 0); "ab" comes from its pages.
      const read = entriesAsked(asked);
      assert.ok(read.length > 0 && read.every((name) => name.endsWith("/0.json")), read.join());
    }
    // The rare word's answer itself, each issue checked once (#8..#5 in vain, then #4, #3).
    const loads = fakeLoad(fromTable);
    const engine = new Engine(meta, loads.load);
    await Promise.all(exactKeys(query).map((key) => engine.posting(key)));
    const result = await engine.verified(query, keep, 2);
    assert.deepEqual(exactOf(result), exactOf(all).slice(0, 2));
    assert.deepEqual(entriesAsked(loads.asked), [8, 7, 6, 5, 4, 3].map((number) => `e/${number}/0.json`));
  });

  it("reads the other words' pages only as far as the issues checked, the line's keys first", async () => {
    // "b " is cut a page every two issues, " a" every three: each advances only at the line.
    const query = planOf('abcdef "b a"');
    for (const wanted of [1, 2, 3]) {
      const { result, engine } = await search(query, (number) => number <= 8, wanted);
      assert.deepEqual(exactOf(result).map((found) => found.number), [4, 3, 2].slice(0, wanted));
      for (const key of ["b ", " a"]) {
        const posting = engine.postings.get(key);
        assert.ok(posting.loaded >= 1, `${key} ${wanted}`);
        if (posting.loaded >= 2) assert.ok(posting.lowest[posting.loaded - 2] > result.exactCover, `${key} ${wanted}`);
      }
    }
  });

  it("does not read an issue a word without rare keys is missing from", async () => {
    // "xc" is in #14..#5 only: #4..#1 hold "abcdef" but are no candidates.
    const { result, asked } = await search(planOf("abcdef xc"), (number) => number <= 4, 1);
    assert.deepEqual([result.exact, result.complete], [[], true]);
    assert.deepEqual(entriesAsked(asked), []);
  });

  it("needs a word's rarest keys to cost fewer pages than its paged keys' first", async () => {
    // "abcd": ab (paged) and cd: reading cd whole costs as much as ab's first page.
    const { result, asked } = await search(planOf("abcd"), keepAll, 1);
    assert.deepEqual(exactOf(result).slice(0, 1), [{ number: 4, entries: [0] }]);
    assert.deepEqual(entriesAsked(asked), []);
  });
});

describe("Engine.rareChecks", () => {
  // An engine whose postings have the given numbers of pages.
  const withPages = (pagesByKey) => {
    const engine = new Engine({ shards: 1 }, () => Promise.reject(new Error("nothing to load")));
    for (const [key, count] of Object.entries(pagesByKey)) {
      const posting = new Posting(key);
      posting.pages = Array.from({ length: count }, (_, i) => `p/${key}-${i}.json`);
      engine.postings.set(key, posting);
    }
    return engine;
  };
  const rare = (pagesByKey, word, wordPieces = []) => {
    const found = withPages(pagesByKey).rareChecks(wordPlan(word), wordPieces);
    return found && found.checks.map(([key]) => key);
  };

  it("takes a word's two keys of fewest pages", () => {
    assert.deepEqual(rare({ ab: 5, cd: 0, ef: 1, gh: 5 }, "abcdefgh"), ["cd", "ef"]);
    assert.deepEqual(rare({ ab: 2, cd: 2, ef: 1, gh: 5 }, "abcdefgh"), ["ef", "ab"]);
  });

  it("takes none whose posting has more than RARE_PAGES pages", () => {
    const many = { ab: 0, cd: RARE_PAGES + 1, ef: 9, gh: 9, ij: 9, kl: 9 };
    assert.equal(rare(many, "abcdefghijkl"), null);
    assert.deepEqual(rare({ ...many, cd: RARE_PAGES }, "abcdefghijkl"), ["ab", "cd"]);
  });

  it("takes them only when they cost fewer pages than a page of each paged key", () => {
    assert.equal(rare({ ab: 1, cd: 1 }, "abcd"), null);
    assert.equal(rare({ ab: 0, cd: 1 }, "abcd"), null);
    assert.deepEqual(rare({ ab: 0, cd: 1, ef: 1 }, "abcdef"), ["ab", "cd"]);
    assert.equal(rare({ ab: 0, cd: 0 }, "abcd"), null);
  });

  it("takes none inside one piece of the word", () => {
    assert.equal(rare({ ab: 0, cd: 0, ef: 5, gh: 5 }, "abcdefgh", ["abcd", "efgh"]), null);
    assert.deepEqual(rare({ ab: 0, cd: 5, ef: 0, gh: 5 }, "abcdefgh", ["abcd", "efgh"]), ["ab", "ef"]);
  });
});

describe("covered", () => {
  it("is the part of the word from its first checked key to its last", () => {
    const plan = { word: "abcdefgh", single: false, checks: [["ef", 4], ["cd", 2]] };
    assert.equal(covered(plan), "cdef");
    assert.equal(covered({ word: "機械学習", single: false, checks: [["学習", 2]] }), "学習");
    assert.equal(covered({ word: "x", single: true, checks: [["x", 0]] }), "x");
    assert.equal(covered({ word: "😀ab😀", single: false, checks: [["b😀", 2], ["😀a", 0]] }), "😀ab😀");
  });
});
