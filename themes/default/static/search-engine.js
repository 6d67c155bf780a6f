/* jirei search engine: loads the shards a query needs, scores the cases as
 * tantivy does for `jirei search` (see search-query.js for the formula),
 * applies filters, counts facets disjunctively (a facet's counts ignore its
 * own selection) and ranks as src/search/rank.rs does. No DOM: used by the
 * page and, under node, by the agreement tests.
 *
 * `new Engine(load)`: `load(name)` returns a promise of the arguments the
 * data script `search/<name>.js` passes to jireiSearchData (the page
 * injects a <script>, node reads the file). */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./search-query.js'));
  else root.JireiSearch = factory(root.JireiQuery);
})(typeof self !== 'undefined' ? self : this, function (Q) {
  'use strict';
  var f = Q.f;

  function Engine(load) { this.load = load; this.files = new Map(); this.shards = new Map(); }

  /* Each file is loaded once; the promise is shared. */
  Engine.prototype.get = function (name) {
    if (!this.files.has(name)) this.files.set(name, this.load(name));
    return this.files.get(name);
  };

  Engine.prototype.meta = function () {
    var self = this;
    if (!this.ready) this.ready = this.get('meta').then(function (parts) {
      var m = parts[0];
      self.m = m;
      self.norms = m.tokens.map(function (tokens) {
        var avg = f(f(tokens) / f(m.docs)), cache = [];
        for (var id = 0; id < 256; id++) cache.push(f(Q.K1 * f(f(1 - Q.B) + f(f(Q.B * f(fieldnorm(id))) / avg))));
        return cache;
      });
      return m;
    });
    return this.ready;
  };

  /* tantivy's fieldnorm table (Lucene's SmallFloat.byte4ToInt). */
  function fieldnorm(id) {
    if (id < 24) return id;
    var i = id - 24, bits = i & 7, shift = (i >> 3) - 1;
    return 24 + (shift < 0 ? bits : (bits | 8) * Math.pow(2, shift));
  }

  Engine.prototype.idf = function (df) {
    var fix = this.m.idfFix[df];
    if (fix !== undefined) return f(fix);
    var x = f(f(f(this.m.docs - df) + 0.5) / f(f(df) + 0.5));
    return f(Math.log(f(1 + x)));
  };

  /* A key's record: dfs and postings per field (field → array). */
  Engine.prototype.records = function (keys) {
    var self = this, n = this.m.termShards, byShard = new Map();
    keys.forEach(function (key) {
      var s = Q.fnv1a(key) % n;
      if (!byShard.has(s)) byShard.set(s, []);
      byShard.get(s).push(key);
    });
    return Promise.all(Array.from(byShard.keys()).map(function (s) {
      return self.get('t/' + s).then(function (parts) { return self.shard(s, parts); });
    })).then(function () {
      var out = new Map();
      keys.forEach(function (key) { out.set(key, self.shards.get(Q.fnv1a(key) % n).get(key)); });
      return out;
    });
  };

  Engine.prototype.shard = function (s, parts) {
    if (this.shards.has(s)) return this.shards.get(s);
    var keys = parts[0], r = new Q.Reader(Q.bytes(parts[1])), map = new Map();
    keys.forEach(function (key) {
      var mask = r.buf[r.at++], pair = /^[xRN]/.test(key);
      var rec = { key: key, fields: [], df: [], terms: [], raw: null, ext: 0, lists: [] };
      for (var fld = 0; fld < 7; fld++) if (mask >> fld & 1) rec.fields.push(fld);
      rec.fields.forEach(function (fld) {
        rec.df[fld] = r.varint();
        if (pair) rec.terms[fld] = [r.varint(), r.varint()];
      });
      rec.ext = r.varint();
      if (!rec.ext) {
        rec.raw = [];
        rec.fields.forEach(function (fld) { rec.raw[fld] = r.slice(); });
      }
      map.set(key, rec);
    });
    this.shards.set(s, map);
    return map;
  };

  /* Loads what decoding `recs` needs: external lists (p/) and the
   * fieldnorm columns of dense body and n-gram lists (z/). */
  Engine.prototype.fetch = function (recs) {
    var self = this, jobs = [], columns = new Set();
    recs.forEach(function (rec) {
      if (!rec) return;
      if (!rec.raw) jobs.push(self.get('p/' + (rec.ext - 1)).then(function (parts) {
        var r = new Q.Reader(Q.bytes(parts[0]));
        rec.raw = [];
        rec.fields.forEach(function (fld) { rec.raw[fld] = r.slice(); });
      }));
      rec.fields.forEach(function (fld) { if (Q.usesColumn(fld, rec.df[fld], self.m.docs)) columns.add(fld); });
    });
    if (!this.fieldnorms) this.fieldnorms = [];
    columns.forEach(function (fld) {
      if (!self.fieldnorms[fld]) jobs.push(self.get('z/' + fld).then(function (parts) { self.fieldnorms[fld] = Q.columnOf(Q.bytes(parts[0]), self.m.docs); }));
    });
    return Promise.all(jobs);
  };

  /* The decoded list of a record in a field ([] when absent). */
  Engine.prototype.list = function (rec, fld) {
    if (!rec || rec.df[fld] === undefined || !rec.raw) return [];
    if (!rec.lists[fld]) {
      var chunks = fld === Q.BODY && (rec.key[0] === 'w' || rec.key[0] === 'x');
      rec.lists[fld] = Q.postingsOf(rec.raw[fld], fld, rec.df[fld], this.m.docs, this.fieldnorms[fld], chunks);
    }
    return rec.lists[fld];
  };

  /* ---- scoring: each returns Map doc → f32 score ---- */
  Engine.prototype.termScores = function (rec, fld, boost) {
    var out = new Map(), list = this.list(rec, fld);
    if (!list.length) return out;
    var w = f(this.idf(rec.df[fld]) * Q.K1P1), cache = this.norms[fld];
    if (boost !== 1) w = f(w * boost);
    list.forEach(function (p) { out.set(p.doc, f(w * f(p.tf / f(p.tf + cache[p.norm])))); });
    return out;
  };

  /* Pairs that cover a phrase: (0,1), (2,3), … and the last two if left over. */
  function pairStarts(n) {
    var starts = [];
    for (var s = 0; s + 1 < n; s += 2) starts.push(s);
    if (n % 2 === 1 && n > 1) starts.push(n - 2);
    return starts;
  }

  /* Terms in a row in one field (query.rs `phrase`): one term; two as a
   * phrase, whose frequency is the pair's; more as all the two-term
   * phrases that cover them (the biword method), nested a ∧ (b ∧ …). */
  Engine.prototype.phraseScores = function (terms, fld, boost, recs) {
    var self = this, kinds = Q.KINDS[fld], out = new Map();
    if (terms.length === 1) return this.termScores(recs.get(kinds[0] + terms[0]), fld, boost);
    if (terms.length > 2) {
      return conjunction(pairStarts(terms.length).map(function (s) { return self.phraseScores(terms.slice(s, s + 2), fld, boost, recs); }));
    }
    var rec = recs.get(Q.pairKey(kinds[1], terms[0], terms[1])), list = this.list(rec, fld);
    if (!list.length) return out;
    var idf = f(f(0 + this.idf(rec.terms[fld][0])) + this.idf(rec.terms[fld][1]));
    var w = f(idf * Q.K1P1), cache = this.norms[fld];
    if (boost !== 1) w = f(w * boost);
    list.forEach(function (p) { out.set(p.doc, f(w * f(p.tf / f(p.tf + cache[p.norm])))); });
    return out;
  };

  function union(maps) {
    var out = new Map();
    maps.forEach(function (m) { m.forEach(function (s, doc) { out.set(doc, f((out.get(doc) || 0) + s)); }); });
    return out;
  }
  /* a ∧ (b ∧ (c …)): the nesting jirei search uses. */
  function conjunction(maps) {
    var out = maps[maps.length - 1];
    for (var i = maps.length - 2; i >= 0; i--) {
      var next = new Map(), left = maps[i];
      out.forEach(function (s, doc) { if (left.has(doc)) next.set(doc, f(left.get(doc) + s)); });
      out = next;
    }
    return out;
  }

  Engine.prototype.inWordFields = function (terms, recs) {
    var self = this;
    return union([0, 1, 2, 3, 4].map(function (fld) { return self.phraseScores(terms, fld, self.m.weights[fld], recs); }));
  };

  /* ---- the query plan ---- */
  Engine.prototype.analyse = function (query) {
    var self = this, m = this.m, groups = Q.parse(query, m.maxQuery);
    var texts = groups.map(function (g) { return Q.normalize(g.text); });
    var shards = new Set();
    texts.forEach(function (t) {
      var chars = Array.from(t);
      chars.forEach(function (c, i) {
        shards.add(Q.fnv1a(c) % m.lexShards);
        if (i + 1 < chars.length) shards.add(Q.fnv1a(c + chars[i + 1]) % m.lexShards);
      });
    });
    return Promise.all(Array.from(shards).map(function (s) { return self.get('l/' + s); })).then(function (loaded) {
      var lex = new Map(), maxLen = 1, synonyms = new Map(), longest = 0, contexts = new Map();
      loaded.forEach(function (parts) {
        parts[2].forEach(function (e) { contexts.set(e[0] + '\u0001' + e[1], e.slice(2)); });
        parts[1].forEach(function (alts) {
          synonyms.set(alts[0].join(' '), alts);
          longest = Math.max(longest, alts[0].length);
        });
        parts[0].forEach(function (e) {
          lex.set(e[0], e[2] === 1 ? [e[1], e[0]] : e.slice(1));
          maxLen = Math.max(maxLen, Array.from(e[0]).length);
        });
      });
      var plan = [], words = [];
      groups.forEach(function (g, i) {
        var terms = Q.segment(texts[i], lex, maxLen, m.unknownCost, contexts);
        if (!terms.length) return;
        /* Hiragana only: characters and reading, no words (query.rs). */
        var hiragana = /^[ぁ-ゖーゝゞ]+$/u.test(g.text);
        var alternatives = hiragana ? [] : Q.expand(terms, synonyms, longest, m.maxAlternatives);
        alternatives.forEach(function (a) { words.push.apply(words, a); });
        var clauses = [];
        alternatives.forEach(function (a) {
          clauses.push({ kind: 'fields', terms: a });
          if (!g.phrase && a.length > 1) clauses.push({ kind: 'all', terms: a });
        });
        var grams = Q.ngramTerms(g.text);
        if (grams.length) clauses.push({ kind: 'stream', field: Q.NGRAM, terms: grams });
        if (Q.isKana(g.text)) {
          var reading = Q.readingTerms(g.text);
          if (reading.length) clauses.push({ kind: 'stream', field: Q.READING, terms: reading });
        }
        plan.push(clauses);
      });
      if (groups.length && !plan.length) {
        throw new Q.SearchError('nothing', groups.map(function (g) { return g.text; }).join(' '));
      }
      words = Array.from(new Set(words.filter(function (w) { return w[0] !== '\u0000'; }))).sort();
      return { plan: plan, words: words, lex: lex };
    });
  };

  /* Keys a plan reads (term and pair records, with their lists). */
  function keysOf(plan) {
    var keys = new Set();
    function need(key) { if (key.indexOf('\u0000') < 0) keys.add(key); }
    plan.forEach(function (clauses) {
      clauses.forEach(function (c) {
        var kinds = c.kind === 'stream' ? Q.KINDS[c.field] : 'wx';
        var t = c.terms;
        if (t.length === 1 || c.kind === 'all') t.forEach(function (w) { need(kinds[0] + w); });
        else pairStarts(t.length).forEach(function (s) { need(Q.pairKey(kinds[1], t[s], t[s + 1])); });
      });
    });
    return keys;
  }

  /* Scores of every matching case: Map doc → f32 (all 1.0 without a query). */
  Engine.prototype.scores = function (plan) {
    var self = this;
    if (!plan.length) {
      var all = new Map();
      for (var d = 0; d < this.m.docs; d++) all.set(d, 1);
      return Promise.resolve({ scores: all, recs: new Map() });
    }
    var keys = keysOf(plan);
    return this.records(Array.from(keys)).then(function (recs) {
      return self.fetch(Array.from(recs.values())).then(function () {
        var groups = plan.map(function (clauses) {
          return union(clauses.map(function (c) {
            if (c.kind === 'fields') return self.inWordFields(c.terms, recs);
            if (c.kind === 'all') return conjunction(c.terms.map(function (t) { return self.inWordFields([t], recs); }));
            return self.phraseScores(c.terms, c.field, self.m.weights[c.field], recs);
          }));
        });
        return { scores: conjunction(groups), recs: recs };
      });
    });
  };

  /* ---- columns, filters, ranking ---- */
  Engine.prototype.column = function (kind, name) {
    var self = this, key = kind + '/' + name;
    if (!this.columns) this.columns = new Map();
    if (!this.columns.has(key)) this.columns.set(key, this.get(key).then(function (parts) {
      var read = Q.bitsReader(Q.bytes(parts[0])), n = self.m.docs, out = [];
      if (kind === 'n') {
        /* Values packed + 1, or positions + 1 in the ascending distinct
         * values (count, then gaps, as varints) of the second part. */
        var number = self.m.numbers.find(function (c) { return c.name === name; }), values = null;
        if (number.dict) {
          var r = new Q.Reader(Q.bytes(parts[1])), count = r.varint(), at = 0;
          values = [];
          for (var k = 0; k < count; k++) { at += r.varint(); values.push(at); }
        }
        for (var d = 0; d < n; d++) {
          var v = read(number.width);
          out.push(v ? (values ? values[v - 1] : v - 1) : null);
        }
      } else {
        var c = self.m.facets.find(function (x) { return x.name === name; });
        c.values = parts[1];
        c.labels = parts[2];
        for (d = 0; d < n; d++) {
          var ids = [];
          if (c.multi) for (var k = read(c.count_width); k > 0; k--) ids.push(read(c.width));
          else { var id = read(c.width); if (id) ids.push(id - 1); }
          out.push(ids);
        }
      }
      return out;
    }));
    return this.columns.get(key);
  };

  var SORT_COLUMNS = { population: 'population', 'initial-cost': 'initial_cost', 'lead-time': 'lead_time' };

  /* Peer similarity (rank.rs): 1 at the same size, 0.5 at half or double. */
  function similarity(population, near) {
    return population > 0 && near > 0 ? 1 / (1 + Math.abs(Math.log2(population / near))) : 0.25;
  }

  /* req: {query, facets: {name: [value]}, ranges: {population|initial_cost|running_cost|lead_time:
   * [min|null, max|null]}, sort, near, count: [facet names to count; default all shown]}. Resolves to {total, hits: [{doc, score, chunk}],
   * facets: {name: {value: count}}, words}. */
  Engine.prototype.search = function (req) {
    var self = this;
    return this.meta().then(function (m) {
      var facetNames = m.facets.map(function (c) { return c.name; });
      var filters = facetNames.filter(function (n) { return req.facets && req.facets[n] && req.facets[n].length; });
      var ranges = Object.keys(req.ranges || {}).filter(function (n) {
        var r = req.ranges[n];
        return r && (r[0] != null || r[1] != null);
      });
      var numbers = ranges.slice();
      if (SORT_COLUMNS[req.sort]) numbers.push(SORT_COLUMNS[req.sort]);
      if (req.near) numbers.push('population');
      var shown = m.shown.filter(function (n) { return facetNames.indexOf(n) >= 0 && (!req.count || req.count.indexOf(n) >= 0); });
      var cols = Promise.all(
        Array.from(new Set(shown.concat(filters))).map(function (n) { return self.column('f', n).then(function (c) { return [n, c]; }); })
          .concat(Array.from(new Set(numbers)).map(function (n) { return self.column('n', n).then(function (c) { return [n, c]; }); })));
      return Promise.all([self.analyse(req.query || ''), cols]).then(function (r) {
        var analysed = r[0], columns = new Map(r[1]);
        return self.scores(analysed.plan).then(function (scored) {
          return self.finish(req, analysed, scored, columns, filters, ranges, shown);
        });
      });
    });
  };

  Engine.prototype.finish = function (req, analysed, scored, columns, filters, ranges, shown) {
    var self = this, m = this.m, checks = [];
    filters.forEach(function (name) {
      var c = m.facets.find(function (x) { return x.name === name; });
      var wanted = new Set(req.facets[name].map(function (v) { return c.values.indexOf(v); }));
      var col = columns.get(name);
      checks.push({ name: name, pass: function (d) { return col[d].some(function (id) { return wanted.has(id); }); } });
    });
    ranges.forEach(function (name) {
      var col = columns.get(name), lo = req.ranges[name][0], hi = req.ranges[name][1];
      checks.push({ name: name, pass: function (d) { var v = col[d]; return v !== null && (lo == null || v >= lo) && (hi == null || v <= hi); } });
    });
    var counts = {}, hits = [];
    shown.forEach(function (n) { counts[n] = new Map(); });
    scored.scores.forEach(function (score, doc) {
      var failed = checks.filter(function (c) { return !c.pass(doc); });
      if (failed.length > 1) return;
      shown.forEach(function (n) {
        if (failed.length && failed[0].name !== n) return;
        var c = m.facets.find(function (x) { return x.name === n; });
        new Set(columns.get(n)[doc]).forEach(function (id) {
          var v = c.values[id];
          counts[n].set(v, (counts[n].get(v) || 0) + 1);
        });
      });
      if (!failed.length) hits.push({ doc: doc, score: score });
    });
    var near = req.near > 0 ? req.near : null, population = columns.get('population');
    hits.forEach(function (h) {
      var base = h.score;
      if (near) base *= similarity(population[h.doc], near);
      h.rank = Math.round(base * 10000);
      h.score = h.rank / 10000;
    });
    var sortColumn = columns.get(SORT_COLUMNS[req.sort]);
    hits.sort(function (a, b) {
      if (sortColumn) {
        var x = sortColumn[a.doc], y = sortColumn[b.doc];
        if (x !== y) return x === null ? 1 : y === null ? -1 : x - y;
      }
      return b.rank - a.rank || a.doc - b.doc;
    });
    var out = { total: hits.length, hits: hits, facets: {}, words: analysed.words, lex: analysed.lex };
    shown.forEach(function (n) { out.facets[n] = Object.fromEntries(counts[n]); });
    var chunk = chunksOf(self, scored.recs);
    hits.forEach(function (h) { h.chunk = chunk(h.doc); });
    return out;
  };

  /* The body chunk of each case with the most distinct query words (the
   * chunk each word first occurs in, where lists record it). */
  function chunksOf(self, recs) {
    var votes = new Map();
    recs.forEach(function (rec, key) {
      if (!rec || !rec.raw || !/^[wx]/.test(key) || !Q.hasChunks(rec.df[Q.BODY], self.m.docs)) return;
      self.list(rec, Q.BODY).forEach(function (p) {
        if (!votes.has(p.doc)) votes.set(p.doc, new Map());
        var v = votes.get(p.doc);
        v.set(p.chunk, (v.get(p.chunk) || 0) + 1);
      });
    });
    return function (doc) {
      var best = 0, most = 0;
      (votes.get(doc) || new Map()).forEach(function (n, chunk) {
        if (n > most || (n === most && chunk < best)) { most = n; best = chunk; }
      });
      return best;
    };
  }

  /* The card and snippet text of a case (`h/` file of its chunk). */
  Engine.prototype.hit = function (doc, chunk) {
    var block = this.m.hitBlock;
    return this.get('h/' + Math.floor(doc / block) + '/' + doc + '-' + (chunk || 0)).then(function (parts) {
      return { card: parts[0], text: parts[1] };
    });
  };

  return { Engine: Engine, union: union, conjunction: conjunction, similarity: similarity };
});
