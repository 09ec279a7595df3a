// Console charts. Pages carry no inline script (the Content-Security-Policy
// forbids it): each chart is a <div data-chart="kind" data-source="id">
// whose data is the JSON in <script type="application/json" id="id">, and
// whose translated labels are data-l-* attributes on the div.
(function () {
  'use strict';

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent || 'null') : null;
  }
  function label(el, key) { return el.getAttribute('data-l-' + key) || key; }
  function pct(x) { return x === null || x === undefined || x < 0 ? null : +(100 * x).toFixed(2); }
  function draw(el, option) {
    var c = echarts.init(el);
    option.tooltip = option.tooltip || {trigger: 'axis'};
    c.setOption(option);
    window.addEventListener('resize', function () { c.resize(); });
  }

  var kinds = {
    // The overview: loans and outstanding per bucket.
    buckets: function (el, rows) {
      rows = rows || [];
      var loans = label(el, 'loans'), out = label(el, 'outstanding');
      draw(el, {
        legend: {data: [loans, out]},
        xAxis: {type: 'category', data: rows.map(function (r) { return r.name; })},
        yAxis: [{type: 'value', name: loans}, {type: 'value', name: '¥'}],
        series: [
          {name: loans, type: 'bar', data: rows.map(function (r) { return r.loans; })},
          {name: out, type: 'line', yAxisIndex: 1, data: rows.map(function (r) { return parseFloat(r.outstanding); })}
        ]
      });
    },
    // An experiment: cure rate per day and arm.
    experiment: function (el, days) {
      days = days || [];
      var dates = [], arms = {champion: {}, challenger: {}};
      days.forEach(function (d) {
        if (dates.indexOf(d.as_of) < 0) { dates.push(d.as_of); }
        arms[d.arm] = arms[d.arm] || {};
        arms[d.arm][d.as_of] = d;
      });
      function series(arm) {
        return dates.map(function (x) { var d = arms[arm][x]; return d && d.cases ? +(100 * d.cured / d.cases).toFixed(2) : null; });
      }
      draw(el, {
        legend: {data: ['champion', 'challenger']},
        xAxis: {type: 'category', data: dates}, yAxis: {type: 'value', name: label(el, 'cure') + ' %'},
        series: [{name: 'champion', type: 'line', data: series('champion')}, {name: 'challenger', type: 'line', data: series('challenger')}]
      });
    },
    // The dashboard's charts share one data block.
    flow: function (el, d) {
      var names = data(el.getAttribute('data-names')) || [], flow = d.flow_rates || [];
      draw(el, {
        legend: {data: names}, xAxis: {type: 'category', data: flow.map(function (f) { return f.month; })},
        yAxis: {type: 'value', name: '%'},
        series: names.map(function (n, i) { return {name: n, type: 'line', data: flow.map(function (f) { return pct(f.rates[i]); })}; })
      });
    },
    cure: function (el, d) {
      var cure = d.cure || [], opened = label(el, 'opened'), cured = label(el, 'cured'), rate = label(el, 'rate');
      draw(el, {
        legend: {data: [opened, cured, rate]},
        xAxis: {type: 'category', data: cure.map(function (c) { return c.month; })},
        yAxis: [{type: 'value'}, {type: 'value', name: '%'}],
        series: [
          {name: opened, type: 'bar', data: cure.map(function (c) { return c.opened; })},
          {name: cured, type: 'bar', data: cure.map(function (c) { return c.cured; })},
          {name: rate, type: 'line', yAxisIndex: 1, data: cure.map(function (c) { return pct(c.rate); })}
        ]
      });
    },
    recovery: function (el, d) {
      var rec = d.recovery || [], collected = label(el, 'collected'), rate = label(el, 'rate');
      draw(el, {
        legend: {data: [collected, rate]},
        xAxis: {type: 'category', data: rec.map(function (r) { return r.bucket; })},
        yAxis: [{type: 'value', name: '¥'}, {type: 'value', name: '%'}],
        series: [
          {name: collected, type: 'bar', data: rec.map(function (r) { return parseFloat(r.collected); })},
          {name: rate, type: 'line', yAxisIndex: 1, data: rec.map(function (r) { return pct(r.rate); })}
        ]
      });
    },
    collectors: function (el, d) {
      var cols = d.collectors || [], open = label(el, 'open'), collected = label(el, 'collected');
      draw(el, {
        legend: {data: [open, collected]},
        xAxis: {type: 'category', data: cols.map(function (c) { return c.name; }), axisLabel: {rotate: 45}},
        yAxis: [{type: 'value'}, {type: 'value', name: '¥'}],
        series: [
          {name: open, type: 'bar', data: cols.map(function (c) { return c.open; })},
          {name: collected, type: 'bar', yAxisIndex: 1, data: cols.map(function (c) { return parseFloat(c.collected); })}
        ]
      });
    },
    teams: function (el, d) {
      var teams = (d.teams || []).concat(d.agencies || []);
      draw(el, {
        xAxis: {type: 'category', data: teams.map(function (t) { return t.name; })}, yAxis: {type: 'value', name: '¥'},
        series: [{name: label(el, 'collected'), type: 'bar', data: teams.map(function (t) { return parseFloat(t.collected); })}]
      });
    }
  };

  function init() {
    if (typeof echarts === 'undefined') { return; }
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var kind = kinds[el.getAttribute('data-chart')];
      if (kind) { kind(el, data(el.getAttribute('data-source')) || {}); }
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
