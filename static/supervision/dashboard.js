/* The supervisor's dashboard charts (Apache ECharts, served locally from static/vendor/).
   Every bar and point links to the list of cases behind it. Without JavaScript the tables
   below the charts carry the same numbers and links. */
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);

  function draw(id, option, rows) {
    var el = document.getElementById(id);
    if (!el || !rows.length) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", function (params) {
      var row = rows[params.dataIndex];
      if (row && row.url) { window.location.href = row.url; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function bar(rows, label, value, horizontal) {
    var cats = rows.map(function (r) { return r[label]; });
    var vals = rows.map(function (r) { return r[value]; });
    var category = { type: "category", data: cats, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var amount = { type: "value", minInterval: 1 };
    return {
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 180 : 40, right: 20, top: 20, bottom: horizontal ? 30 : 80 },
      xAxis: horizontal ? amount : category,
      yAxis: horizontal ? Object.assign(category, { inverse: true }) : amount,
      series: [{ type: "bar", data: vals, itemStyle: { color: "#2f6fb0" } }]
    };
  }

  var states = data.states.filter(function (r) { return r.value > 0; });
  draw("chart-states", bar(states, "label", "value", false), states);
  draw("chart-rules", bar(data.rules, "label", "active", true), data.rules);
  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 20, top: 20, bottom: 40 },
    xAxis: { type: "category", data: data.trend.map(function (r) { return r.key; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", data: data.trend.map(function (r) { return r.value; }), areaStyle: {}, itemStyle: { color: "#b0452f" } }]
  }, data.trend);
  draw("chart-evaluations", bar(data.agencies, "name", "rate", true), data.agencies);
})();
