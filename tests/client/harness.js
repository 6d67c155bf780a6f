// Runs the browser search engine under node against a built site, for the
// agreement and budget tests (tests/site_search_*.rs).
//
//   node harness.js PUBLIC_DIR < requests.json > answers.json
//
// Each request is a search request (see search-engine.js) plus `limit`;
// each answer has total, the ids of the first `limit` hits, their scores,
// the facet counts and `bytes`: the size of every file the first search
// needed (the three scripts plus the data files it loaded), since each
// request runs on a fresh engine as a first search does.
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const root = process.argv[2];
const assets = path.join(root, 'assets');
const Q = require(path.join(assets, 'search-query.js'));
const { Engine } = require(path.join(assets, 'search-engine.js'));
const scripts = ['search-query.js', 'search-engine.js', 'search-ui.js'];

function loader(counter) {
  return (name) => new Promise((resolve, reject) => {
    const file = path.join(root, 'search', name + '.js');
    let source;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      reject(new Error('missing ' + name));
      return;
    }
    counter.bytes += Buffer.byteLength(source);
    counter.files.push(name);
    let got = null;
    vm.runInNewContext(source, { jireiSearchData: (n, ...parts) => { got = { n, parts }; } });
    if (!got || got.n !== name) reject(new Error('bad data file ' + name));
    else resolve(got.parts);
  });
}

async function answer(request) {
  const counter = { bytes: 0, files: [] };
  for (const s of scripts) counter.bytes += fs.statSync(path.join(assets, s)).size;
  const engine = new Engine(loader(counter));
  try {
    const result = await engine.search(request);
    const top = result.hits.slice(0, request.limit || 10);
    const cards = await Promise.all(top.map((h) => engine.hit(h.doc, h.chunk)));
    return {
      total: result.total,
      ids: cards.map((c) => c.card.id),
      scores: top.map((h) => h.score),
      facets: result.facets,
      words: result.words,
      bytes: counter.bytes,
      files: counter.files.length,
    };
  } catch (e) {
    if (e instanceof Q.SearchError) return { error: e.code, detail: e.detail };
    throw e;
  }
}

let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  const requests = JSON.parse(input);
  const answers = [];
  for (const r of requests) answers.push(await answer(r));
  process.stdout.write(JSON.stringify(answers));
});
