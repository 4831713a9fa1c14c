// Mutation testing of the search's matching code (make mutants-js): every mutant of
// searchcore.js, one at a time, against node's test runner on tests/js/. The tests read the
// fixture that make builds first (SEARCHCORE_FIXTURE, tests/js/searchcore_fixture.py).
// Results in docs/benchmarks/hardening.md ("Mutation testing of the search's matching code").
export default {
  mutate: ["ext/newsarchive/sphinxext/static/searchcore.js"],
  testRunner: "command",
  commandRunner: { command: "node --test tests/js/" },
  // The command runner cannot tell which test covers which mutant: each runs every test.
  coverageAnalysis: "off",
  // The machine is shared: one mutant at a time.
  concurrency: 1,
  // A run takes about a second; a mutant still running after 20 s more loops for ever (a
  // short limit would count a slow run on a busy machine as a kill).
  timeoutMS: 20000,
  // The sandbox needs only the module, its tests and package.json ("type": "module").
  ignorePatterns: ["/*", "!/ext", "!/tests", "/tests/*", "!/tests/js", "!/package.json"],
  tempDirName: "_build/mutants-js/sandbox",
  cleanTempDir: "always",
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "_build/mutants-js/mutation.json" },
  htmlReporter: { fileName: "_build/mutants-js/mutation.html" },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 95, low: 90, break: 90 },
};
