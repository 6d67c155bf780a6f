/* jirei search page: form ↔ URL (?q=…&band=…&population-min=…&sort=…&near=…),
 * results with snippets, disjunctive facet checkboxes, ranges, peers, CSV.
 * Data files are injected as <script src> (works from file://, any sub-path,
 * any static server); no inline script or style, so the CSP holds.
 * The result list carries data-state="loading|ready|error"; each result
 * data-case-id. */
(function () {
  'use strict';
  var form = document.getElementById('search');
  if (!form || !window.JireiSearch) return;
  var Q = window.JireiQuery;
  var base = form.getAttribute('data-root') + 'search/';
  var PAGE = 10;
  var RANGES = { population: '人口', 'initial-cost': 'イニシャルコスト', 'running-cost': 'ランニングコスト', 'lead-time': '導入までの期間' };
  var pending = new Map();

  window.jireiSearchData = function (name) {
    var p = pending.get(name);
    if (p) { pending.delete(name); p(Array.prototype.slice.call(arguments, 1)); }
  };
  function load(name) {
    return new Promise(function (resolve, reject) {
      pending.set(name, resolve);
      var s = document.createElement('script');
      s.src = base + name + '.js';
      s.charset = 'utf-8';
      s.onload = function () { s.remove(); if (pending.delete(name)) reject(new Error(name)); };
      s.onerror = function () { s.remove(); pending.delete(name); reject(new Error(name)); };
      document.head.appendChild(s);
    });
  }

  var engine = new window.JireiSearch.Engine(load);
  var $ = function (id) { return document.getElementById(id); };
  var results = $('results'), status = $('status'), more = $('more'), csv = $('csv'), facetBox = $('facets');
  var current = null, seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function number(v) { var n = parseInt(String(v || '').replace(/[,，]/g, ''), 10); return n >= 0 ? n : null; }

  /* ---- state ---- */
  function readUrl() {
    var p = new URLSearchParams(location.search), st = { query: p.get('q') || '', facets: {}, ranges: {} };
    (engine.m ? engine.m.facets : []).forEach(function (c) { var v = p.getAll(c.name); if (v.length) st.facets[c.name] = v; });
    Object.keys(RANGES).forEach(function (r) {
      var lo = number(p.get(r + '-min')), hi = number(p.get(r + '-max'));
      if (lo !== null || hi !== null) st.ranges[r.replace('-', '_')] = [lo, hi];
    });
    st.sort = p.get('sort') || 'relevance';
    st.near = number(p.get('near'));
    return st;
  }
  function toUrl(st) {
    var p = new URLSearchParams();
    if (st.query) p.set('q', st.query);
    Object.keys(st.facets).forEach(function (n) { st.facets[n].forEach(function (v) { p.append(n, v); }); });
    Object.keys(st.ranges).forEach(function (r) {
      var name = r.replace('_', '-');
      if (st.ranges[r][0] !== null) p.set(name + '-min', st.ranges[r][0]);
      if (st.ranges[r][1] !== null) p.set(name + '-max', st.ranges[r][1]);
    });
    if (st.sort !== 'relevance') p.set('sort', st.sort);
    if (st.near) p.set('near', st.near);
    var s = p.toString();
    return location.pathname + (s ? '?' + s : '');
  }
  function readForm() {
    var data = new FormData(form), st = { query: data.get('q') || '', facets: {}, ranges: {} };
    engine.m.facets.forEach(function (c) { var v = data.getAll(c.name); if (v.length) st.facets[c.name] = v; });
    Object.keys(RANGES).forEach(function (r) {
      var lo = number(data.get(r + '-min')), hi = number(data.get(r + '-max'));
      if (lo !== null || hi !== null) st.ranges[r.replace('-', '_')] = [lo, hi];
    });
    st.sort = data.get('sort') || 'relevance';
    st.near = number(data.get('near'));
    return st;
  }
  function fillForm(st) {
    $('ranges-box').open = $('ranges-box').open || Object.keys(st.ranges).length > 0;
    $('near-box').open = $('near-box').open || !!st.near;
    form.elements.q.value = st.query;
    form.elements.sort.value = st.sort;
    form.elements.near.value = st.near || '';
    Object.keys(RANGES).forEach(function (r) {
      var v = st.ranges[r.replace('-', '_')] || [null, null];
      form.elements[r + '-min'].value = v[0] === null ? '' : v[0];
      form.elements[r + '-max'].value = v[1] === null ? '' : v[1];
    });
  }

  /* ---- facets: counted only when open (their columns load on demand) ---- */
  var OPEN = ['band', 'category'], open = {};
  function isOpen(name, st) { return name in open ? open[name] : (OPEN.indexOf(name) >= 0 || !!(st.facets[name] || []).length); }
  function opened(st) { return engine.m.shown.filter(function (n) { return isOpen(n, st); }); }
  function renderFacets(st, answer) {
    /* Keep the keyboard focus on the same control across the re-render. */
    var focus = document.activeElement, again = null;
    if (focus && facetBox.contains(focus)) {
      var d0 = focus.closest('details');
      again = { facet: d0 && d0.getAttribute('data-facet'), value: focus.tagName === 'INPUT' ? focus.value : null };
    }
    facetBox.textContent = '';
    engine.m.shown.forEach(function (name) {
      var c = engine.m.facets.find(function (x) { return x.name === name; });
      if (!c) return;
      var counts = answer.facets[name] || {}, chosen = st.facets[name] || [];
      var values = (c.values || []).filter(function (v) { return counts[v] || chosen.indexOf(v) >= 0; });
      var d = el('details', 'facet');
      d.setAttribute('data-facet', name);
      d.open = isOpen(name, st);
      d.addEventListener('toggle', function () {
        var counted = name in answer.facets;
        open[name] = d.open;
        if (d.open && !counted) run(current.state, true);
      });
      var summary = el('summary', null, c.label);
      if (chosen.length) summary.appendChild(el('span', 'chosen', '（' + chosen.length + '件選択）'));
      d.appendChild(summary);
      var fs = el('fieldset');
      fs.appendChild(el('legend', 'visually-hidden', c.label));
      var ul = el('ul');
      values.forEach(function (v) {
        var li = el('li'), label = el('label'), box = el('input');
        box.type = 'checkbox';
        box.name = name;
        box.value = v;
        box.checked = chosen.indexOf(v) >= 0;
        label.appendChild(box);
        var i = c.values.indexOf(v);
        label.appendChild(el('span', 'value', c.labels && c.labels[i] ? c.labels[i] : v));
        label.appendChild(el('span', 'count', String(counts[v] || 0)));
        li.appendChild(label);
        ul.appendChild(li);
      });
      if (!values.length) ul.appendChild(el('li', 'none', name in answer.facets ? '該当なし' : '読み込み中…'));
      fs.appendChild(ul);
      d.appendChild(fs);
      facetBox.appendChild(d);
      if (again && again.facet === name) {
        var target = again.value === null ? summary : Array.from(ul.querySelectorAll('input')).find(function (b) { return b.value === again.value; });
        (target || summary).focus();
      }
    });
  }

  /* ---- results ---- */
  function snippet(text, words, lex) {
    var needles = new Set(words);
    lex.forEach(function (e, surface) { for (var i = 1; i < e.length; i++) if (needles.has(e[i])) needles.add(surface); });
    var norm = '', at = [], offset = 0;
    Array.from(text).forEach(function (c) {
      var n = Q.normalize(c);
      for (var k = 0; k < n.length; k++) { norm += n[k]; at.push(offset); }
      offset += c.length;
    });
    at.push(text.length);
    var marks = [];
    needles.forEach(function (w) {
      if (!w) return;
      for (var i = norm.indexOf(w); i >= 0; i = norm.indexOf(w, i + w.length)) marks.push([at[i], at[i + w.length]]);
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    marks = marks.reduce(function (out, m) {
      var last = out[out.length - 1];
      if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]); else out.push(m.slice());
      return out;
    }, []);
    var start = marks.length ? Math.max(0, marks[0][0] - 20) : 0, end = Math.min(text.length, start + 110);
    var p = el('p', 'snippet');
    if (start > 0) p.appendChild(document.createTextNode('…'));
    var pos = start;
    marks.forEach(function (m) {
      if (m[0] < pos || m[1] > end) return;
      p.appendChild(document.createTextNode(text.slice(pos, m[0])));
      p.appendChild(el('mark', null, text.slice(m[0], m[1])));
      pos = m[1];
    });
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? '…' : '')));
    return p;
  }

  function card(hit, answer, root) {
    var c = hit.card, li = el('li', 'hit');
    li.setAttribute('data-case-id', c.id);
    var h = el('h2'), a = el('a', null, c.title);
    a.href = root + c.href;
    h.appendChild(a);
    li.appendChild(h);
    var about = [c.org];
    if (c.pop) about.push('人口 ' + c.pop);
    if (c.band) about.push(c.band);
    about.push(c.cat + (c.sec ? '（' + c.sec + '）' : ''));
    li.appendChild(el('p', 'about', about.join(' ・ ')));
    li.appendChild(snippet(hit.text, answer.words, answer.lex));
    var facts = [];
    if (c.ini) facts.push('イニシャル ' + c.ini);
    if (c.run) facts.push('ランニング ' + c.run + '/年');
    if (c.lead) facts.push('導入まで ' + c.lead);
    if (facts.length) li.appendChild(el('p', 'facts', facts.join(' ・ ')));
    return li;
  }

  function now() {
    return window.performance && performance.now ? performance.now() : Date.now();
  }

  function showMore(my) {
    var answer = current.answer, from = results.children.length;
    var page = answer.hits.slice(from, from + PAGE);
    results.setAttribute('data-state', 'loading');
    return Promise.all(page.map(function (h) {
      return engine.hit(h.doc, h.chunk).then(function (x) { return { card: x.card, text: x.text }; });
    })).then(function (cards) {
      if (my !== seq) return;
      var root = form.getAttribute('data-root');
      cards.forEach(function (x) { results.appendChild(card(x, answer, root)); });
      more.hidden = results.children.length >= answer.total;
      results.setAttribute('data-state', 'ready');
    });
  }

  var MESSAGES = {
    'too-long': function (d) { return '検索語が長すぎます（' + d + '文字）。500文字以内にしてください。'; },
    control: function () { return '検索語に制御文字が含まれています。入力し直してください。'; },
    quote: function (d) { return '「' + d + '」が閉じられていません。語句を囲む記号を閉じるか、取り除いてください。'; },
    nothing: function (d) { return '「' + d + '」には検索できる語がありません（助詞や記号だけです）。内容を表す語を加えてください。'; }
  };

  /* A facet value in the URL that no case has (a typo, a renamed value) is
   * an error naming the nearest known value, as `jirei search` does, not an
   * empty list. Checked once the search has loaded the facet's values. */
  function unknownValue(st) {
    var found = null;
    engine.m.facets.some(function (c) {
      return (st.facets[c.name] || []).some(function (v) {
        if (!c.values || c.values.indexOf(v) >= 0) return false;
        found = { facet: c, value: v, suggestion: nearest(v, c.values) };
        return true;
      });
    });
    return found;
  }
  /* The closest candidate within the CLI's edit-distance limit (did_you_mean in src/diagnostic.rs). */
  function nearest(word, candidates) {
    var a = Array.from(word), limit = Math.max(1, Math.floor(a.length / 3)) + 1, best = null, most = limit + 1;
    candidates.forEach(function (cand) {
      var b = Array.from(cand), row = b.map(function (_, j) { return j + 1; });
      row.unshift(0);
      a.forEach(function (x, i) {
        var prev = row[0];
        row[0] = i + 1;
        b.forEach(function (y, j) { var sub = prev + (x === y ? 0 : 1); prev = row[j + 1]; row[j + 1] = Math.min(sub, row[j] + 1, prev + 1); });
      });
      if (row[b.length] < most) { most = row[b.length]; best = cand; }
    });
    return best;
  }
  function showUnknown(bad, st) {
    var c = bad.facet, i = bad.suggestion === null ? -1 : c.values.indexOf(bad.suggestion);
    var link = function (text, replacement) {
      var next = Object.assign({}, st, { facets: Object.assign({}, st.facets) });
      next.facets[c.name] = st.facets[c.name].filter(function (v) { return v !== bad.value; }).concat(replacement);
      var a = el('a', null, text);
      a.href = toUrl(next);
      a.addEventListener('click', function (e) { e.preventDefault(); history.pushState(null, '', a.href); fillForm(next); run(next); });
      return a;
    };
    status.textContent = c.label + '「' + bad.value + '」に当たる事例はありません。';
    if (i >= 0) {
      status.appendChild(document.createTextNode('もしかして：'));
      status.appendChild(link(bad.suggestion + (c.labels && c.labels[i] ? '（' + c.labels[i] + '）' : ''), [bad.suggestion]));
      status.appendChild(document.createTextNode(' '));
    }
    status.appendChild(link('この条件を外して検索', []));
  }

  /* `recount`: the same search again because a facet was opened (keeps the list). */
  function run(st, recount) {
    if (recount) {
      var shown = current;
      return engine.search({ query: st.query, facets: st.facets, ranges: st.ranges, sort: st.sort, near: st.near, count: opened(st) })
        .then(function (answer) { if (current === shown) { shown.answer.facets = answer.facets; renderFacets(st, shown.answer); } });
    }
    var my = ++seq;
    var started = now();
    results.setAttribute('data-state', 'loading');
    form.setAttribute('data-state', 'loading');
    status.textContent = '検索しています…';
    var req = { query: st.query, facets: st.facets, ranges: st.ranges, sort: st.sort, near: st.near, count: opened(st) };
    return engine.search(req).then(function (answer) {
      if (my !== seq) return;
      var bad = unknownValue(st);
      if (bad) throw bad;
      current = { state: st, answer: answer };
      renderFacets(st, answer);
      results.textContent = '';
      var what = st.query ? '「' + st.query + '」の検索結果：' : '';
      var peers = st.near ? '（人口' + st.near.toLocaleString('ja-JP') + '人に近い団体を上位に表示）' : '';
      status.textContent = what + answer.total + '件の事例' + peers;
      csv.disabled = !answer.total;
      form.setAttribute('data-state', 'ready');
      return showMore(my).then(function () {
        if (my !== seq) return;
        // Time from the request to the shown results, data loading included.
        var ms = Math.round(now() - started);
        results.setAttribute('data-ms', String(ms));
        status.appendChild(el('span', 'elapsed', '（' + (ms / 1000).toFixed(2) + '秒）'));
      });
    }).catch(function (e) {
      if (my !== seq) return;
      results.textContent = '';
      more.hidden = true;
      csv.disabled = true;
      if (e.facet) showUnknown(e, st);
      else status.textContent = e instanceof Q.SearchError && MESSAGES[e.code] ? MESSAGES[e.code](e.detail) : '検索データを読み込めませんでした（' + e.message + '）。サイトを作り直してください。';
      results.setAttribute('data-state', 'error');
      form.setAttribute('data-state', 'error');
    });
  }

  function submit(push) {
    var st = readForm(), url = toUrl(st);
    if (url !== location.pathname + location.search) {
      if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
    }
    run(st);
  }

  /* ---- CSV (UTF-8 with BOM, CRLF: what Excel opens correctly) ---- */
  function download() {
    var hits = current.answer.hits, block = engine.m.rowBlock, blocks = new Set();
    hits.forEach(function (h) { blocks.add(Math.floor(h.doc / block)); });
    csv.disabled = true;
    Promise.all(Array.from(blocks).map(function (b) { return engine.get('r/' + b).then(function (p) { return [b, p]; }); }))
      .then(function (loaded) {
        var rows = new Map(loaded), header = loaded[0][1][0];
        var cell = function (v) { return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
        var lines = [header.map(cell).join(',')];
        hits.forEach(function (h) { lines.push(rows.get(Math.floor(h.doc / block))[1][h.doc % block].map(cell).join(',')); });
        var blob = new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
        var a = el('a');
        a.href = URL.createObjectURL(blob);
        a.download = 'jirei-search.csv';
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      })
      .finally(function () { csv.disabled = false; });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); submit(true); });
  form.addEventListener('change', function (e) {
    var t = e.target;
    if (t.type === 'checkbox' || t.name === 'sort' || t.name === 'near') submit(true);
  });
  more.addEventListener('click', function () {
    var from = results.children.length;
    showMore(seq).then(function () {
      var first = results.children[from];
      if (first) first.querySelector('a').focus();
    });
  });
  csv.addEventListener('click', download);
  window.addEventListener('popstate', function () { var st = readUrl(); fillForm(st); run(st); });
  engine.meta().then(function () { var st = readUrl(); fillForm(st); run(st); }).catch(function (e) {
    status.textContent = '検索データを読み込めませんでした（' + e.message + '）。';
    results.setAttribute('data-state', 'error');
  });
})();
