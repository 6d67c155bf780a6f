/* jirei search, query side: how a query is analysed and how the data
 * `jirei build` writes under search/ is decoded, so that the page answers
 * exactly as `jirei search` does (same terms, same BM25 scores, same
 * order). No DOM here: the page (search-ui.js) and the tests (node) both
 * use it. Formats: src/site/search_index/ (Rust docs).
 *
 * Query analysis mirrors src/search/query.rs and src/analysis: groups split
 * at spaces and quotes; text NFKC + lowercase; words found in the build's
 * lexicon (lowest-cost split into known surfaces, an unknown character
 * costs `unknownCost`, readings by context); synonyms expanded as
 * analysis/expand.rs does; character bigrams and kana reading bigrams
 * computed directly; a hiragana-only group is matched by bigrams and
 * reading only.
 *
 * Scoring is tantivy's BM25 in single precision (f() = Math.fround after
 * every operation): idf = ln(1 + (N - n + .5) / (n + .5)) (exact values
 * shipped where the platform's f32 ln rounds differently), weight = idf *
 * 2.2 * boost (a two-term phrase sums both idfs first), score = weight *
 * tf / (tf + 1.2 * (.25 + .75 * fieldnorm / avgFieldnorm)), with tantivy's
 * fieldnorm table. A phrase of three or more terms is the conjunction of
 * the two-term phrases covering it. A group scores the sum of its matching
 * clauses in order (per synonym alternative: phrase in the 5 word fields,
 * all words anywhere; then bigrams, then readings); conjunctions nest two
 * at a time from the right, a + (b + c). Filters score 0. Scores are
 * quantized (x 10000, rounded); ties go to the smaller case id (documents
 * are numbered in id order). */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.JireiQuery = factory();
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';
  var f = Math.fround;
  var K1 = f(1.2), B = f(0.75), K1P1 = f(1 + K1);
  var BODY = 4, READING = 5, NGRAM = 6;
  var KINDS = ['wx', 'wx', 'wx', 'wx', 'wx', 'rR', 'nN'];
  var QUOTES = { '"': '"', '「': '」', '“': '”', '＂': '＂' };
  var WS = /^\p{White_Space}$/u, CC = /^\p{Cc}$/u;
  var ALNUM = /^[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]$/u;
  var INVISIBLE = /^[\uFE00-\uFE0F\u200B-\u200D\u2060\uFEFF\u00AD\u{E0100}-\u{E01EF}]$/u;

  function SearchError(code, detail) { this.code = code; this.detail = detail; }

  /* ---- text (analysis/normalize.rs, kana.rs, morph.rs) ---- */
  function normalize(s) {
    var out = '';
    for (var c of s.normalize('NFKC')) {
      if (INVISIBLE.test(c)) continue;
      if (CC.test(c) || c === '\u2028' || c === '\u2029') out += /[\n\r\x0B\x0C\x85\u2028\u2029]/.test(c) ? '\n' : c === '\t' ? '\t' : ' ';
      else out += c.toLowerCase();
    }
    return out;
  }
  function isWordChar(c) {
    var n = c.codePointAt(0);
    if ((n >= 0x3041 && n <= 0x3096) || (n >= 0x30A1 && n <= 0x30FA) || (n >= 0x4E00 && n <= 0x9FFF)) return true;
    return c !== 'ー' && ALNUM.test(c);
  }
  function isKana(text) { return text !== '' && /^[ぁ-ゖァ-ヺーｦ-ﾟ]+$/u.test(text); }
  function toKatakana(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3041 && n <= 0x3096) || n === 0x309D || n === 0x309E ? String.fromCodePoint(n + 0x60) : c;
  }
  function trim(s) { return s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, ''); }

  /* Overlapping bigrams of each stretch; a one-character stretch is itself. */
  function bigrams(stretches) {
    var out = [];
    stretches.forEach(function (s) {
      if (s.length === 1) out.push(s[0]);
      for (var i = 1; i < s.length; i++) out.push(s[i - 1] + s[i]);
    });
    return out;
  }
  function ngramTerms(text) {
    var stretches = [[]];
    for (var c of normalize(text)) {
      if (isWordChar(c) || c === 'ー') stretches[stretches.length - 1].push(c);
      else stretches.push([]);
    }
    return bigrams(stretches);
  }
  function readingTerms(text) {
    var s = [];
    for (var c of normalize(text)) if (isWordChar(c)) s.push(toKatakana(c));
    return bigrams([s]);
  }

  /* ---- query syntax (search/query.rs `parse`) ---- */
  function parse(query, maxChars) {
    var chars = Array.from(query);
    if (chars.length > maxChars) throw new SearchError('too-long', chars.length);
    if (chars.some(function (c) { return CC.test(c) && !WS.test(c); })) throw new SearchError('control');
    var groups = [], current = '';
    function words() { if (current) groups.push({ text: current, phrase: false }); current = ''; }
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i], close = QUOTES[c];
      if (close !== undefined) {
        words();
        var phrase = '';
        for (i++; i < chars.length && chars[i] !== close; i++) phrase += chars[i];
        var unbalanced = !chars.includes(close) ||
          (c === close && chars.filter(function (x) { return x === c; }).length % 2 === 1);
        if (unbalanced) throw new SearchError('quote', c);
        if (trim(phrase)) groups.push({ text: trim(phrase), phrase: true });
      } else if (WS.test(c)) words();
      else current += c;
    }
    words();
    return groups;
  }

  /* ---- words: lowest-cost split into lexicon surfaces ---- */
  /* `lex`: surface → [cost, term…]; `contexts`: surface + '\u0001' + context →
   * terms where the reading differs after the start (0), a function word (1)
   * or a content word (2). Returns the terms with positions (sentence ends
   * leave a gap); an unknown stretch is one term that matches nothing. */
  function segment(text, lex, maxLen, unknownCost, contexts) {
    var chars = Array.from(text), n = chars.length;
    var cost = [0], from = [], edge = [];
    for (var k = 1; k <= n; k++) cost.push(Infinity);
    function relax(i, j, c, e) { if (c < cost[j]) { cost[j] = c; from[j] = i; edge[j] = e; } }
    for (var i = 0; i < n; i++) {
      if (cost[i] === Infinity) continue;
      var c = chars[i], word = isWordChar(c);
      if (!word) relax(i, i + 1, cost[i], /[。!?\n]/.test(c) ? 'b' : 's');
      var s = '';
      for (var len = 1; len <= maxLen && i + len <= n; len++) {
        s += chars[i + len - 1];
        var entry = lex.get(s);
        if (entry) relax(i, i + len, cost[i] + entry[0], { e: entry, s: s });
      }
      if (word) relax(i, i + 1, cost[i] + unknownCost, 'u');
    }
    var tokens = [];
    for (var j = n; j > 0; j = from[j]) tokens.push(edge[j]);
    tokens.reverse();
    var terms = [], position = 0, gap = false, unknown = false, context = 0;
    tokens.forEach(function (t) {
      if (t === 'u') { if (!unknown) push('\u0000?'); unknown = true; context = 2; return; }
      unknown = false;
      if (t === 'b' || t === 's') { gap = gap || t === 'b'; context = 0; return; }
      var words = (contexts && contexts.get(t.s + '\u0001' + context)) || t.e.slice(1);
      words.forEach(push);
      context = words.length ? 2 : 1;
    });
    function push(term) {
      if (gap && position > 0) position++;
      gap = false;
      terms.push({ text: term, position: position++ });
    }
    return terms;
  }

  /* ---- synonyms (analysis/expand.rs) ---- */
  function expand(terms, table, longest, max) {
    var results = [[]], i = 0;
    while (i < terms.length) {
      var len = 1, alternatives = [[terms[i].text]];
      for (var l = Math.min(longest, terms.length - i); l >= 1; l--) {
        var span = terms.slice(i, i + l), contiguous = true;
        for (var k = 1; k < l; k++) if (span[k].position !== span[k - 1].position + 1) contiguous = false;
        var found = contiguous && table.get(span.map(function (t) { return t.text; }).join(' '));
        if (found) { len = l; alternatives = found; break; }
      }
      var next = [];
      results.forEach(function (r) {
        alternatives.forEach(function (a, n) {
          if (next.length >= max) return;
          next.push(r.concat(n > 0 ? a : terms.slice(i, i + len).map(function (t) { return t.text; })));
        });
      });
      results = next;
      i += len;
    }
    var seen = new Set();
    return results.filter(function (r) { var key = r.join(' '); return !seen.has(key) && seen.add(key); });
  }

  function pairKey(kind, a, b) {
    var x = Array.from(a), y = Array.from(b);
    if (kind !== 'x' && x.length === 2 && y.length === 2 && x[1] === y[0]) return kind + a + y[1];
    return kind + a + ' ' + b;
  }

  /* ---- decoding ---- */
  /* Bytes from text (src/site/search_index/encode.rs, text13): two
   * characters carry 13 bits (v % 91, v / 91), a last lone one 6. */
  var DIGIT = new Int8Array(128);
  '!#$%&\'()*+,-./0123456789:;=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~'.split('').forEach(function (c, i) { DIGIT[c.charCodeAt(0)] = i; });
  function bytes(text) {
    var n = text.length, out = new Uint8Array(Math.floor((Math.floor(n / 2) * 13 + (n & 1) * 6) / 8));
    var acc = 0, held = 0, o = 0;
    for (var i = 0; i < n; i += 2) {
      if (i + 1 < n) { acc |= (DIGIT[text.charCodeAt(i)] + DIGIT[text.charCodeAt(i + 1)] * 91) << held; held += 13; }
      else { acc |= DIGIT[text.charCodeAt(i)] << held; held += 6; }
      while (held >= 8 && o < out.length) { out[o++] = acc & 255; acc >>>= 8; held -= 8; }
    }
    return out;
  }
  function Reader(buf, at) { this.buf = buf; this.at = at || 0; }
  Reader.prototype.varint = function () {
    var v = 0, mul = 1, b;
    do { b = this.buf[this.at++]; v += (b & 127) * mul; mul *= 128; } while (b & 128);
    return v;
  };
  Reader.prototype.slice = function () { var n = this.varint(); this.at += n; return this.buf.subarray(this.at - n, this.at); };
  function bitsReader(buf) {
    var at = 0;
    return function (width) {
      var v = 0;
      for (var i = 0; i < width; i++, at++) if (buf[at >> 3] >> (at & 7) & 1) v += Math.pow(2, i);
      return v;
    };
  }
  function isDense(df, docs) { return df * 16 >= docs; }
  function hasChunks(df, docs) { return df <= 256 || !isDense(df, docs); }
  function usesColumn(fld, df, docs) { return (fld === BODY || fld === NGRAM) && isDense(df, docs); }
  /* A fieldnorm column: smallest id, bit width, ids above the smallest. */
  function columnOf(buf, docs) {
    var read = bitsReader(buf.subarray(2)), out = new Uint8Array(docs);
    for (var d = 0; d < docs; d++) out[d] = buf[0] + read(buf[1]);
    return out;
  }
  /* Bits, least significant first; unary = ones ended by a zero. */
  function Bits(buf, at) { this.buf = buf; this.bit = at * 8; }
  Bits.prototype.one = function () { var b = this.buf[this.bit >> 3] >> (this.bit & 7) & 1; this.bit++; return b; };
  Bits.prototype.read = function (n) { var v = 0; for (var i = 0; i < n; i++) if (this.one()) v += Math.pow(2, i); return v; };
  Bits.prototype.unary = function () { var n = 0; while (this.one()) n++; return n; };
  Bits.prototype.gamma = function () { var n = this.unary(); return Math.pow(2, n) + this.read(n); };
  /* One posting list (src/site/search_index/lists.rs): [{doc, tf, norm, chunk}]:
   * documents as a bitmap (header 255) or Rice-coded gaps (header = k), then
   * gamma-coded tfs, fieldnorms (unless from the column `norms`), chunks. */
  function postingsOf(buf, fld, df, docs, norms, chunks) {
    var k = buf[0], r = new Bits(buf, 1), out = [], d;
    if (k === 255) { for (d = 0; d < docs; d++) if (r.one()) out.push({ doc: d }); }
    else for (d = -1; out.length < df;) { d += r.unary() * Math.pow(2, k) + r.read(k) + 1; out.push({ doc: d }); }
    var once = r.one();
    out.forEach(function (p) { p.tf = once ? 1 : r.gamma(); p.chunk = 0; });
    if (usesColumn(fld, df, docs)) out.forEach(function (p) { p.norm = norms[p.doc]; });
    else { var low = r.read(8), w = r.read(4); out.forEach(function (p) { p.norm = low + r.read(w); }); }
    if (chunks && hasChunks(df, docs)) out.forEach(function (p) { p.chunk = r.gamma() - 1; });
    return out;
  }

  return {
    SearchError: SearchError, parse: parse, normalize: normalize, ngramTerms: ngramTerms,
    readingTerms: readingTerms, segment: segment, expand: expand, isKana: isKana,
    pairKey: pairKey, bytes: bytes, Reader: Reader, bitsReader: bitsReader, postingsOf: postingsOf,
    isDense: isDense, hasChunks: hasChunks, usesColumn: usesColumn, columnOf: columnOf,
    fnv1a: function (s) {
      var h = 0x811c9dc5;
      new TextEncoder().encode(s).forEach(function (b) { h = Math.imul(h ^ b, 0x01000193) >>> 0; });
      return h >>> 0;
    },
    f: f, K1: K1, B: B, K1P1: K1P1, BODY: BODY, READING: READING, NGRAM: NGRAM, KINDS: KINDS
  };
});
