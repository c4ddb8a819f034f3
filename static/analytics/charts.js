/* Draws the analytics charts with the locally served Apache ECharts (static/vendor/echarts).
   Each chart is a <div data-chart="ID"> next to a <script type="application/json" id="ID">
   written by the page (json_script); the same numbers are in the table below it, so the page
   works without JavaScript. */
(function () {
  "use strict";
  function format(unit, value) {
    if (value === null || value === undefined) return "—";
    if (unit === "percent") return (value * 100).toFixed(1) + "%";
    if (unit === "count") return String(Math.round(value));
    return Number(value).toFixed(2);
  }
  function lineOrBar(spec) {
    return {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return format(spec.unit, v); } },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 32, bottom: spec.kind === "bar" ? 80 : 32 },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.kind === "bar" ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return format(spec.unit, v); } } },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.kind, data: s.data, connectNulls: false, smooth: false };
      })
    };
  }
  function heatmap(spec) {
    var max = 1;
    spec.data.forEach(function (d) { if (d[2] > max) max = d[2]; });
    return {
      tooltip: { position: "top" },
      grid: { left: 160, right: 16, top: 16, bottom: 140 },
      xAxis: { type: "category", data: spec.x, axisLabel: { interval: 0, rotate: 40, width: 120, overflow: "truncate" } },
      yAxis: { type: "category", data: spec.y },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
      series: [{ type: "heatmap", data: spec.data, label: { show: true } }]
    };
  }
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      if (!spec) return;
      var chart = window.echarts.init(el);
      chart.setOption(spec.kind === "heatmap" ? heatmap(spec) : lineOrBar(spec));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
