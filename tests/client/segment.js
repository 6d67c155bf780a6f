// Splits strings into words with the page's query analysis (the build's
// lexicon, no dictionary), for tests/site_search_segmentation.rs.
//
//   node segment.js PUBLIC_DIR < strings.json > words.json
//
// Each answer is the list of words of the string's first group (as the
// page would search the word fields), or null when the page finds nothing
// to search.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const root = process.argv[2];
const { Engine } = require(path.join(root, 'assets', 'search-engine.js'));
const engine = new Engine((name) => {
  const source = fs.readFileSync(path.join(root, 'search', name + '.js'), 'utf8');
  let parts = null;
  vm.runInNewContext(source, { jireiSearchData: (n, ...p) => { parts = p; } });
  return Promise.resolve(parts);
});

let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  await engine.meta();
  const out = [];
  for (const text of JSON.parse(input)) {
    try {
      const analysed = await engine.analyse(text);
      const first = analysed.plan[0] || [];
      const words = first.find((c) => c.kind === 'fields');
      out.push(words ? words.terms : []);
    } catch (e) {
      out.push(null);
    }
  }
  process.stdout.write(JSON.stringify(out));
});
