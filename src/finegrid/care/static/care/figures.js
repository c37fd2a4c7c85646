// The figures page: calls per month (bars) and the share acknowledged in time (lines), with the
// TEC standard's 97.5 % and 99 % marked. The numbers come from the page (json_script).
(function () {
  "use strict";
  var el = document.getElementById("figures-chart");
  var source = document.getElementById("figures-data");
  if (!el || !source || typeof echarts === "undefined") return;
  var d = JSON.parse(source.textContent);
  var L = d.labels;
  var chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 48, bottom: 32 },
    xAxis: { type: "category", data: d.months },
    yAxis: [
      { type: "value", name: L.count, minInterval: 1 },
      { type: "value", name: L.share, min: 0, max: 100 },
    ],
    series: [
      { name: L.calls, type: "bar", data: d.calls, itemStyle: { color: "#94a3b8" } },
      { name: L.unanswered, type: "bar", data: d.unanswered, itemStyle: { color: "#b91c1c" } },
      {
        name: L.within60, type: "line", yAxisIndex: 1, data: d.within60, connectNulls: false,
        itemStyle: { color: "#2563eb" },
        markLine: {
          symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#2563eb" },
          data: [{ yAxis: d.standard60, name: L.standard60 }],
          label: { formatter: L.standard60, position: "insideEndTop" },
        },
      },
      {
        name: L.within180, type: "line", yAxisIndex: 1, data: d.within180, connectNulls: false,
        itemStyle: { color: "#15803d" },
        markLine: {
          symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#15803d" },
          data: [{ yAxis: d.standard180, name: L.standard180 }],
          label: { formatter: L.standard180, position: "insideStartTop" },
        },
      },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
