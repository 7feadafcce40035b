// Statistics charts: the data comes from <script type="application/json" id="stats-data">
// (Django's json_script, which is not executable); each <canvas data-chart="key"
// data-chart-type="bar|hbar|doughnut"> draws one series.
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#b3202a", "#1f6f8b", "#e0a100", "#3c8d2f", "#6f42c1", "#d9534f",
    "#20c997", "#fd7e14", "#0d6efd", "#6c757d", "#8c1820", "#198754", "#adb5bd",
    "#ff6f91", "#845ec2", "#2c73d2", "#008f7a", "#c34a36"];

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var series = data[canvas.getAttribute("data-chart")];
    if (!series) { return; }
    var kind = canvas.getAttribute("data-chart-type") || "bar";
    var horizontal = kind === "hbar";
    var type = horizontal ? "bar" : kind;
    var colours = type === "doughnut" ? palette.slice(0, series.values.length) : "#b3202a";
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: series.labels,
        datasets: [{ data: series.values, backgroundColor: colours, borderWidth: 0 }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: type === "doughnut", position: "right" } },
        scales: type === "doughnut" ? {} : {
          x: { beginAtZero: true, ticks: { precision: 0, autoSkip: false } },
          y: { beginAtZero: true, ticks: { precision: 0, autoSkip: false } }
        }
      }
    });
  });
})();
