// searchcore.js on its own: each exported function against the Python writer's answers
// (python.json, from tests/js/searchcore_fixture.py) and against a small index that
// search_index.py wrote with pages of a few occurrences (python.sample).
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  CARD,
  Posting,
  candidateIssues,
  classify,
  coverOf,
  decodeRefs,
  enough,
  evaluate,
  exactKeys,
  fold,
  issueHits,
  issueNumbers,
  keyHash,
  keysToAdvance,
  parseQuery,
  pieceKeys,
  pieces,
  planKeys,
  queryPlan,
  shardOf,
  wordEntries,
  wordPlan,
  yearOf,
} from "../../ext/newsarchive/sphinxext/static/searchcore.js";
import { python } from "./fixture.mjs";

const segmenter = new Intl.Segmenter("ja", { granularity: "word" });
const sample = python.sample;
const shard = sample.files["s/0.json"];

// A segmenter as Intl.Segmenter answers, for cuts the tests choose.
const cutInto = (table) => ({
  segment: (word) => (table[word] ?? [[word, true]]).map(([segment, isWordLike]) => ({ segment, isWordLike })),
});

// The sample's postings of ``keys``, each with its first ``pages`` pages (all: Infinity).
function postingsOf(keys, pages = Infinity) {
  const postings = new Map();
  for (const key of keys) {
    const posting = new Posting(key);
    posting.fromShard(shard[key]);
    for (let n = 0; n < pages && posting.nextPage(); n++) posting.pageLoaded(sample.files[posting.nextPage()]);
    postings.set(key, posting);
  }
  return postings;
}

const noPieces = () => [];
const keepAll = () => true;
const queryOf = (words, piecesOf = noPieces) => queryPlan(words, piecesOf);
const allKeys = (query) => [...exactKeys(query), ...pieceKeys(query)];
const numbers = (results) => results.map((result) => result.number);

describe("fold", () => {
  it("folds as search_index.fold does", () => {
    assert.ok(python.fold.length > 5);
    for (const [text, folded] of python.fold) assert.equal(fold(text), folded, JSON.stringify(text));
  });

  it("joins fields as search_index.haystack does", () => {
    for (const [fields, haystack] of python.haystack) assert.equal(fields.map(fold).join("\u0000"), haystack);
  });

  it("applies NFKC, lower case and full and half widths", () => {
    assert.equal(fold("ＬｉｇｈｔＧＢＭ"), "lightgbm");
    assert.equal(fold("ｶﾀｶﾅ"), "カタカナ");
    assert.equal(fold("ﾃﾞｰﾀ"), "データ");
    assert.equal(fold("㈱ ﬁ Ⅻ"), "(株) fi xii");
    assert.equal(fold("KAGGLE Days"), "kaggle days");
  });

  it("turns each run of white space into one space, keeping the ends", () => {
    assert.equal(fold("a\u3000\t\n b"), "a b");
    assert.equal(fold("  a  "), " a ");
    assert.equal(fold("a\u00a0b\u2028c\u205fd\ufeffe\u1680f\u200ag\u202fh\u2029i"), "a b c d e f g h i");
    assert.equal(fold("a\vb\fc\rd"), "a b c d");
    assert.equal(fold("a\u200bb"), "a\u200bb"); // a zero-width space is not white space
  });

  it("takes any value: nothing is empty text", () => {
    assert.equal(fold(undefined), "");
    assert.equal(fold(null), "");
    assert.equal(fold(12), "12");
    assert.equal(fold(""), "");
  });
});

describe("keyHash and shardOf", () => {
  it("hash every key as search_index.key_hash does", () => {
    assert.ok(python.keyHash.length > 100);
    for (const [key, hash] of python.keyHash) assert.equal(keyHash(key), hash, JSON.stringify(key));
  });

  it("name the shard search_index.shard_of names", () => {
    for (const [key, shards, expected] of python.shardOf) assert.equal(shardOf(key, shards), expected);
  });

  it("hash by code point, not by UTF-16 unit", () => {
    assert.notEqual(keyHash("😀"), keyHash("\ud83d"));
    assert.equal(Number.isInteger(keyHash("😀")) && keyHash("😀") >= 0, true);
  });
});

describe("parseQuery", () => {
  it("folds the words and keeps their order", () => {
    assert.deepEqual(parseQuery("機械学習 ＢＥＲＴ  Optuna"), { words: ["機械学習", "bert", "optuna"], cut: false });
  });

  it("keeps a quoted phrase whole, its ends trimmed", () => {
    assert.deepEqual(parseQuery('"Kaggle\u3000Days" optuna').words, ["kaggle days", "optuna"]);
    assert.deepEqual(parseQuery('x "  a b  " y').words, ["x", "a b", "y"]);
    assert.deepEqual(parseQuery('"a b"c').words, ["a b", "c"]);
  });

  it("ignores other quotes", () => {
    assert.deepEqual(parseQuery('ab"cd').words, ["ab", "cd"]);
    assert.deepEqual(parseQuery('"kaggle days').words, ["kaggle", "days"]);
    assert.deepEqual(parseQuery('"" " "').words, []);
  });

  it("drops words of punctuation or signs alone, keeps words holding some", () => {
    assert.deepEqual(parseQuery("! 。 ++ bert 「」 c++ ★ ☆a").words, ["bert", "c++", "☆a"]);
    assert.deepEqual(parseQuery('"!?"').words, []);
  });

  it("keeps a word once", () => {
    assert.deepEqual(parseQuery('bert BERT Ｂｅｒｔ "bert"').words, ["bert"]);
  });

  it("takes at most maxWords words and says it cut", () => {
    const eight = "a b c d e f g h";
    assert.deepEqual(parseQuery(eight), { words: eight.split(" "), cut: false });
    assert.deepEqual(parseQuery(`${eight} i j`), { words: eight.split(" "), cut: true });
    assert.deepEqual(parseQuery("a b c", { maxWords: 2 }), { words: ["a", "b"], cut: true });
    assert.deepEqual(parseQuery("a b a b", { maxWords: 2 }), { words: ["a", "b"], cut: false });
  });

  it("reads at most maxLength characters of the query and says it cut", () => {
    const long = "a".repeat(199);
    assert.deepEqual(parseQuery(`${long} b`), { words: [long], cut: true });
    assert.deepEqual(parseQuery(`${long}b`), { words: [`${long}b`], cut: false });
    assert.deepEqual(parseQuery("abc de", { maxLength: 4 }), { words: ["abc"], cut: true });
    assert.deepEqual(parseQuery("ａｂｃ", { maxLength: 2 }), { words: ["ab"], cut: true });
  });

  it("takes nothing as no words", () => {
    assert.deepEqual(parseQuery(undefined), { words: [], cut: false });
    assert.deepEqual(parseQuery(null), { words: [], cut: false });
    assert.deepEqual(parseQuery("   "), { words: [], cut: false });
  });
});

describe("pieces", () => {
  it("cuts a Japanese compound where the segmenter does", () => {
    assert.deepEqual(pieces("機械学習", segmenter), ["機械", "学習"]);
    assert.deepEqual(pieces("自然言語処理", segmenter), ["自然", "言語", "処理"]);
  });

  it("has none for a word the segmenter leaves whole", () => {
    assert.deepEqual(pieces("翻訳", segmenter), []);
  });

  it("has none without a segmenter, for Latin words and for phrases", () => {
    assert.deepEqual(pieces("機械学習", null), []);
    assert.deepEqual(pieces("機械学習", undefined), []);
    assert.deepEqual(pieces("lightgbm", cutInto({ lightgbm: [["light", true], ["gbm", true]] })), []);
    assert.deepEqual(pieces("c++!", cutInto({ "c++!": [["c", true], ["++!", true]] })), []);
    assert.deepEqual(pieces("機械 学習", segmenter), []);
  });

  it("leaves out what is not word-like, single Latin characters and repeats", () => {
    assert.deepEqual(pieces("機械、学習", segmenter), ["機械", "学習"]);
    assert.deepEqual(pieces("x機械学習", segmenter), ["機械", "学習"]);
    assert.deepEqual(pieces("a機械", segmenter), []);
    assert.deepEqual(pieces("学習学習", segmenter), []);
    const cuts = cutInto({ "bertで翻訳": [["bert", true], ["で", false], ["翻訳", true]] });
    assert.deepEqual(pieces("bertで翻訳", cuts), ["bert", "翻訳"]);
    const oneKana = cutInto({ "ab機": [["ab", true], ["機", true], ["。", true]] });
    assert.deepEqual(pieces("ab機", oneKana), ["ab", "機", "。"]);
  });
});

describe("wordPlan", () => {
  it("looks a single character up by itself", () => {
    assert.deepEqual(wordPlan("機"), { word: "機", single: true, checks: [["機", 0]] });
    assert.deepEqual(wordPlan("😀"), { word: "😀", single: true, checks: [["😀", 0]] });
  });

  it("looks a longer word up by pairs at 0, 2, 4 … and its last pair", () => {
    assert.deepEqual(wordPlan("ab"), { word: "ab", single: false, checks: [["ab", 0]] });
    assert.deepEqual(wordPlan("abc").checks, [["ab", 0], ["bc", 1]]);
    assert.deepEqual(wordPlan("abcd").checks, [["ab", 0], ["cd", 2]]);
    assert.deepEqual(wordPlan("abcde").checks, [["ab", 0], ["cd", 2], ["de", 3]]);
    assert.deepEqual(wordPlan("機械学習").checks, [["機械", 0], ["学習", 2]]);
  });

  it("counts characters beyond the BMP as one", () => {
    assert.deepEqual(wordPlan("😀a𠮷").checks, [["😀a", 0], ["a𠮷", 1]]);
  });

  it("fixes every character of words of any length", () => {
    for (let length = 2; length <= 13; length++) {
      const word = Array.from({ length }, (_, i) => String.fromCodePoint(0x3042 + i)).join("");
      const { checks, single } = wordPlan(word);
      assert.equal(single, false);
      const covered = new Set();
      for (const [key, offset] of checks) {
        assert.equal(key, word.slice(offset, offset + 2));
        covered.add(offset).add(offset + 1);
      }
      assert.equal(covered.size, length);
      assert.deepEqual(
        checks.map(([, offset]) => offset),
        [...new Set([...Array.from({ length: Math.ceil(length / 2) - 1 }, (_, i) => 2 * i), length - 2])].sort((a, b) => a - b),
      );
    }
  });
});

describe("Posting", () => {
  it("starts with nothing known", () => {
    const posting = new Posting("ab");
    assert.equal(posting.key, "ab");
    assert.equal(posting.byIssue.size, 0);
    assert.deepEqual([posting.pages, posting.lowest, posting.loaded, posting.cover], [[], [], 0, Infinity]);
    assert.equal(posting.nextPage(), null);
  });

  it("knows every issue of a key its shard does not hold", () => {
    for (const value of [undefined, null]) {
      const posting = new Posting("zz");
      posting.fromShard(value);
      assert.equal(posting.cover, 0);
      assert.equal(posting.byIssue.size, 0);
      assert.equal(posting.nextPage(), null);
    }
  });

  it("decodes a whole posting: positions from deltas, single characters by entry", () => {
    const pair = new Posting("xa");
    pair.fromShard([[12, [1, 12, 6, 6]], [3, [0, 5], [2, 1, 1]]]);
    assert.equal(pair.cover, 0);
    assert.deepEqual([...pair.byIssue.keys()], [12, 3]);
    assert.deepEqual([...pair.byIssue.get(12).get(1)], [12, 18, 24]);
    assert.deepEqual([...pair.byIssue.get(3).get(0)], [5]);
    assert.deepEqual([...pair.byIssue.get(3).get(2)], [1, 2]);
    assert.deepEqual([...pair.byIssue.get(3).keys()], [0, 2]);
    const single = new Posting("x");
    single.fromShard(shard.x);
    assert.deepEqual([...single.byIssue.keys()], [12, 10, 9]);
    assert.deepEqual([...single.byIssue.get(12).keys()], [1]);
    assert.equal(single.byIssue.get(12).get(1).size, 0);
  });

  it("holds, for each key the writer wrote, the places search_index.key_occurrences found", () => {
    for (const [text, occurrences] of python.keyOccurrences) {
      const posting = new Posting("k");
      for (const [key, places] of Object.entries(occurrences)) {
        posting.byIssue.clear();
        const items = key.length === 1 ? [0] : [0, places[0], ...places.slice(1).map((p, i) => p - places[i])];
        posting.addPage([[1, items]]);
        const expected = key.length === 1 ? [] : places;
        assert.deepEqual([...posting.byIssue.get(1).get(0)], expected, `${text}: ${key}`);
      }
    }
  });

  it("fetches a long posting's pages in order, its cover the lowest issue loaded", () => {
    const posting = new Posting("ab");
    posting.fromShard(shard.ab);
    assert.deepEqual(posting.pages, shard.ab.pages);
    assert.deepEqual(posting.lowest, [12, 10, 1]);
    assert.equal(posting.cover, Infinity);
    assert.equal(posting.byIssue.size, 0);
    const seen = [];
    while (posting.nextPage()) {
      const name = posting.nextPage();
      seen.push(name);
      posting.pageLoaded(sample.files[name]);
      seen.push(posting.cover);
    }
    assert.deepEqual(seen, [shard.ab.pages[0], 12, shard.ab.pages[1], 10, shard.ab.pages[2], 0]);
    assert.equal(posting.loaded, 3);
    assert.deepEqual([...posting.byIssue.keys()], [12, 10, 1]);
    assert.deepEqual([...posting.byIssue.get(12).get(0)], [0, 3]);
  });
});

describe("wordEntries", () => {
  const entriesOf = (word, number, postings = postingsOf(planKeys([wordPlan(word)]))) => [
    ...wordEntries(wordPlan(word), postings, number),
  ];

  it("finds the entries holding a word where its pairs line up", () => {
    assert.deepEqual(entriesOf("abc", 12), [0]); // "abcab"; "ab xx bc" holds the pairs apart
    assert.deepEqual(entriesOf("abc", 10), [0]); // "abxabc": at the second "ab"
    assert.deepEqual(entriesOf("abc", 1), [0]);
    assert.deepEqual(entriesOf("cab", 12), [0]);
    assert.deepEqual(entriesOf("abca", 12), [0]);
    assert.deepEqual(entriesOf("bca", 12), [0]);
    assert.deepEqual(entriesOf("xabc", 10), [0]);
    assert.deepEqual(entriesOf("pqrst", 4), [3]);
  });

  it("finds nothing where the pairs are in other places, entries or issues", () => {
    assert.deepEqual(entriesOf("abcb", 12), []);
    assert.deepEqual(entriesOf("bcab", 10), []);
    assert.deepEqual(entriesOf("abc", 9), []);
    assert.deepEqual(entriesOf("pqrst", 2), []); // "st" and "pqr" in two entries
    assert.deepEqual(entriesOf("機械学習", 4), []); // 機械 and 学習 in two entries
    assert.deepEqual(entriesOf("機械学習", 7), []); // "学習する機械"
    assert.deepEqual(entriesOf("機械学習", 9), [0]);
  });

  it("takes every entry holding a single character", () => {
    assert.deepEqual(entriesOf("x", 12), [1]);
    assert.deepEqual(entriesOf("a", 12), [0, 1]);
    assert.deepEqual(entriesOf("a", 9), []);
  });

  it("finds a pair in every entry holding it", () => {
    assert.deepEqual(entriesOf("ab", 12), [0, 1]);
    assert.deepEqual(entriesOf("ab", 1), [0, 1]); // "ＡＢＣ" folded, and "Ab"
  });
});

describe("queryPlan and its keys", () => {
  it("plans each word and each of its pieces", () => {
    const piecesOf = (word) => pieces(word, segmenter);
    const query = queryPlan(["形態素解析", "x"], piecesOf);
    assert.deepEqual(query, {
      words: ["形態素解析", "x"],
      wordPieces: [["形態素", "解析"], []],
      plans: [wordPlan("形態素解析"), wordPlan("x")],
      piecePlans: [[wordPlan("形態素"), wordPlan("解析")], []],
    });
    assert.deepEqual(exactKeys(query), ["形態", "素解", "解析", "x"]);
    assert.deepEqual(pieceKeys(query), ["態素"]); // 形態 and 解析 are the word's own keys
  });

  it("lists each key once", () => {
    assert.deepEqual(planKeys([wordPlan("abab"), wordPlan("ab"), wordPlan("ba")]), ["ab", "ba"]);
    assert.deepEqual(planKeys([]), []);
    const query = queryOf(["機械学習"], () => ["機械", "学習"]);
    assert.deepEqual(pieceKeys(query), []);
  });

  it("covers keys by the highest line any of them is known to", () => {
    const postings = postingsOf(["ab", "bc", "pq"], 1);
    assert.equal(coverOf(["pq"], postings), 0);
    assert.equal(coverOf(["ab", "pq"], postings), 12);
    assert.equal(coverOf(["bc", "ab"], postings), 12);
    assert.equal(coverOf([], postings), 0);
    const unread = new Posting("ab");
    unread.fromShard(shard.ab);
    assert.equal(coverOf(["ab", "pq"], new Map([...postings, ["ab", unread]])), Infinity);
  });

  it("names the candidate issues at or above the line, newest first", () => {
    const postings = postingsOf(["ab", "x", "qr"]);
    assert.deepEqual(candidateIssues(["ab", "x"], postings, 0), [12, 10, 9, 1]);
    assert.deepEqual(candidateIssues(["x", "ab"], postings, 10), [12, 10]);
    assert.deepEqual(candidateIssues(["qr"], postings, 3), [12, 9, 4]);
    assert.deepEqual(candidateIssues([], postings, 0), []);
  });
});

describe("issueHits and classify", () => {
  const machine = queryOf(["機械学習"], () => ["機械", "学習"]);
  const postings = postingsOf(["機械", "学習", "x", "pq", "qr", "rs", "st"]);

  it("says which words and pieces each entry holds", () => {
    assert.deepEqual(issueHits(machine, postings, 9, keepAll), [{ entry: 0, exact: [true], found: [[true, true]] }]);
    assert.deepEqual(issueHits(machine, postings, 4, keepAll), [
      { entry: 0, exact: [false], found: [[true, false]] },
      { entry: 1, exact: [false], found: [[false, true]] },
    ]);
    assert.deepEqual(issueHits(machine, postings, 12, keepAll), []);
  });

  it("leaves out the entries the filter does not keep", () => {
    const asked = [];
    const keep = (number, entry) => (asked.push(`${number}:${entry}`), entry !== 0);
    assert.deepEqual(issueHits(machine, postings, 4, keep), [{ entry: 1, exact: [false], found: [[false, true]] }]);
    assert.deepEqual(asked, ["4:0", "4:1"]);
    assert.deepEqual(issueHits(machine, postings, 9, keep), []);
  });

  it("holds two words in two entries as one hit each", () => {
    const query = queryOf(["機械", "x"]);
    assert.deepEqual(issueHits(query, postings, 9, keepAll), [
      { entry: 0, exact: [true, false], found: [[], []] },
      { entry: 1, exact: [false, true], found: [[], []] },
    ]);
    assert.equal(classify(query, issueHits(query, postings, 9, keepAll)), "exact");
  });

  it("classifies: every word as typed, each word as typed or in all its pieces, or nothing", () => {
    const hit = (exact, found) => ({ entry: 0, exact, found });
    const two = { words: ["a", "b"], wordPieces: [["a1", "a2"], []] };
    assert.equal(classify(two, []), null);
    assert.equal(classify(two, [hit([true, true], [[false, false], []])]), "exact");
    assert.equal(classify(two, [hit([true, false], [[false, false], []]), hit([false, true], [[false, false], []])]), "exact");
    assert.equal(classify(two, [hit([false, true], [[true, true], []])]), "apart");
    assert.equal(classify(two, [hit([false, true], [[true, false], []]), hit([false, false], [[false, true], []])]), "apart");
    assert.equal(classify(two, [hit([false, true], [[true, false], []])]), null);
    assert.equal(classify(two, [hit([true, false], [[false, false], []])]), null); // "b" has no pieces
    assert.equal(classify(two, [hit([false, false], [[true, true], []])]), null);
    const none = { words: ["a"], wordPieces: [[]] };
    assert.equal(classify(none, [hit([false], [[]])]), null);
    assert.equal(classify({ words: [], wordPieces: [] }, []), null); // no hit, no group
  });
});

describe("evaluate", () => {
  const compound = queryOf(["機械学習"], (word) => pieces(word, segmenter));

  it("ranks the issues holding the word as typed first, then those holding its pieces, newest first in each", () => {
    const result = evaluate(compound, postingsOf(allKeys(compound)), keepAll);
    assert.deepEqual(numbers(result.exact), [9]);
    assert.deepEqual(numbers(result.apart), [7, 4]);
    assert.deepEqual([result.exactCover, result.cover, result.complete], [0, 0, true]);
    assert.deepEqual(
      result.exact.map((r) => r.group).concat(result.apart.map((r) => r.group)),
      ["exact", "apart", "apart"],
    );
    assert.deepEqual(result.apart[1].hits, [
      { entry: 0, exact: [false], found: [[true, false]] },
      { entry: 1, exact: [false], found: [[false, true]] },
    ]);
  });

  it("puts an older issue holding the word as typed above a newer one holding its pieces", () => {
    const query = queryOf(["形態素解析"], (word) => pieces(word, segmenter));
    const result = evaluate(query, postingsOf(allKeys(query)), keepAll);
    assert.deepEqual([numbers(result.exact), numbers(result.apart)], [[4], [7]]);
  });

  it("keeps an issue in one group only", () => {
    const query = queryOf(["pqrst"], () => ["pqr", "st"]);
    const result = evaluate(query, postingsOf(allKeys(query)), keepAll);
    assert.deepEqual([numbers(result.exact), numbers(result.apart)], [[4], [2]]);
  });

  it("asks for every word of several", () => {
    const query = queryOf(["abc", "x"]);
    const result = evaluate(query, postingsOf(allKeys(query)), keepAll);
    assert.deepEqual([numbers(result.exact), numbers(result.apart)], [[12, 10], []]);
    const both = queryOf(["x", "機械学習"], (word) => pieces(word, segmenter));
    const mixed = evaluate(both, postingsOf(allKeys(both)), keepAll);
    assert.deepEqual([numbers(mixed.exact), numbers(mixed.apart)], [[9], []]);
  });

  it("finds only what the filter keeps", () => {
    const result = evaluate(compound, postingsOf(allKeys(compound)), (number, entry) => entry !== 0);
    assert.deepEqual([result.exact, result.apart], [[], []]);
    const older = evaluate(compound, postingsOf(allKeys(compound)), (number) => number < 9);
    assert.deepEqual([numbers(older.exact), numbers(older.apart)], [[], [7, 4]]);
  });

  it("is final for the exact group above its line, and leaves the other group for later", () => {
    const postings = postingsOf(allKeys(compound), 1);
    const result = evaluate(compound, postings, keepAll);
    assert.deepEqual([numbers(result.exact), result.apart], [[9], []]);
    assert.deepEqual([result.exactCover, result.cover, result.complete], [7, 7, false]);
    const abc = queryOf(["abc"]);
    const first = evaluate(abc, postingsOf(["ab", "bc"], 1), keepAll);
    assert.deepEqual([numbers(first.exact), first.exactCover], [[12], 12]);
  });

  it("is final for the words-apart group above the pieces' line", () => {
    const query = queryOf(["pqrst"], () => ["pqr", "st"]);
    const postings = postingsOf(allKeys(query), 1);
    const result = evaluate(query, postings, keepAll);
    assert.deepEqual([numbers(result.exact), result.apart], [[4], []]);
    assert.deepEqual([result.exactCover, result.cover, result.complete], [0, 9, false]);
    postings.get("qr").pageLoaded(sample.files[postings.get("qr").nextPage()]);
    const whole = evaluate(query, postings, keepAll);
    assert.deepEqual([numbers(whole.exact), numbers(whole.apart), whole.complete], [[4], [2], true]);
  });
});

describe("enough", () => {
  const result = (exact, apart, exactCover, complete) => ({
    exact: Array(exact).fill({}),
    apart: Array(apart).fill({}),
    exactCover,
    complete,
  });

  it("is enough once the exact group alone fills what is wanted", () => {
    assert.equal(enough(result(2, 0, 5, false), 2), true);
    assert.equal(enough(result(3, 0, 5, false), 2), true);
  });

  it("waits for the exact group to be complete before counting the other", () => {
    assert.equal(enough(result(1, 5, 5, false), 2), false);
    assert.equal(enough(result(1, 5, 5, true), 2), false);
    assert.equal(enough(result(1, 1, 0, false), 2), true);
    assert.equal(enough(result(1, 0, 0, false), 2), false);
    assert.equal(enough(result(0, 2, 0, false), 2), true);
    assert.equal(enough(result(0, 3, 0, false), 2), true);
  });

  it("is enough when everything is known, however few", () => {
    assert.equal(enough(result(0, 0, 0, true), 2), true);
    assert.equal(enough(result(0, 1, 0, true), Infinity), true);
    assert.equal(enough(result(5, 5, 0, false), Infinity), false);
  });
});

describe("keysToAdvance", () => {
  it("advances the exact keys at the exact line while that group is open", () => {
    const query = queryOf(["abc"]);
    const postings = postingsOf(["ab", "bc"], 1);
    assert.deepEqual(keysToAdvance(query, postings, evaluate(query, postings, keepAll)), ["ab", "bc"]);
    postings.get("ab").pageLoaded(sample.files[postings.get("ab").nextPage()]);
    // ab is known down to 10; bc still only to 12, the line.
    assert.deepEqual(keysToAdvance(query, postings, evaluate(query, postings, keepAll)), ["bc"]);
  });

  it("advances the pieces' keys at their line once the exact group is complete", () => {
    const query = queryOf(["pqrst"], () => ["pqr", "st"]);
    const postings = postingsOf(allKeys(query), 1);
    assert.deepEqual(keysToAdvance(query, postings, evaluate(query, postings, keepAll)), ["qr"]);
    postings.get("qr").pageLoaded(sample.files[postings.get("qr").nextPage()]);
    assert.deepEqual(keysToAdvance(query, postings, evaluate(query, postings, keepAll)), []);
  });

  it("advances the exact keys at their own line, not at the pieces' line above it", () => {
    const query = queryOf(["pqrst"], () => ["pqr", "st"]);
    const postings = postingsOf(allKeys(query));
    const pq = new Posting("pq");
    pq.fromShard({ pages: ["p/a.json", "p/b.json"], lowest: [4, 2] });
    pq.pageLoaded([[4, [3, 0]]]);
    postings.set("pq", pq);
    const qr = new Posting("qr");
    qr.fromShard(shard.qr);
    postings.set("qr", qr);
    const result = evaluate(query, postings, keepAll);
    assert.deepEqual([result.exactCover, result.cover], [4, Infinity]);
    assert.deepEqual(keysToAdvance(query, postings, result), ["pq"]);
  });

  it("advances no key without a page left", () => {
    const query = queryOf(["ab"]);
    const postings = postingsOf(["ab"]);
    const result = { exactCover: 1, cover: 1 };
    postings.get("ab").cover = 1;
    assert.deepEqual(keysToAdvance(query, postings, result), []);
  });
});

describe("decodeRefs, issueNumbers, yearOf", () => {
  it("decode the entry references search_index._refs wrote", () => {
    assert.ok(python.refs.length >= 3);
    for (const [flat, refs] of python.refs) assert.deepEqual([...decodeRefs(flat)].sort(), refs);
    assert.equal(decodeRefs([]).size, 0);
  });

  it("list the issues of search_index._runs newest first", () => {
    for (const [runs, expected] of python.runs) assert.deepEqual(issueNumbers(runs), expected);
  });

  it("name the year of an issue within the runs of years, or none", () => {
    const years = [["2023", 12, 9], ["2022", 8, 3], ["2020", 1, 1]];
    assert.deepEqual([12, 9, 8, 3, 1].map((n) => yearOf(years, n)), ["2023", "2023", "2022", "2022", "2020"]);
    assert.deepEqual([13, 2, 0].map((n) => yearOf(years, n)), ["", "", ""]);
    assert.equal(yearOf([], 1), "");
  });
});

it("names a card's kind as search_entries.CARD does", () => {
  assert.equal(CARD, python.card);
});
