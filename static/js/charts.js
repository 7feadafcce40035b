// Statistics charts: the data comes from <script type="application/json" id="stats-data">
// (Django's json_script, which is not executable); each <canvas data-chart="key"
// data-chart-type="bar|hbar|doughnut"> draws one series ({labels, values}) or several
// ({labels, datasets: [{label, values}], stacked}). Every chart has its table beside it
// for screen readers, so the canvases are aria-hidden.
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#b3202a", "#1f6f8b", "#e0a100", "#3c8d2f", "#6f42c1", "#d9534f",
    "#20c997", "#fd7e14", "#0d6efd", "#6c757d", "#8c1820", "#198754", "#adb5bd",
    "#ff6f91", "#845ec2", "#2c73d2", "#008f7a", "#c34a36"];
  var narrow = window.matchMedia("(max-width: 576px)").matches;

  function datasetsOf(series, type) {
    if (series.datasets) {
      return series.datasets.map(function (set, i) {
        return { label: set.label, data: set.values, backgroundColor: palette[i % palette.length],
          borderWidth: 0 };
      });
    }
    var colours = type === "doughnut" ? palette.slice(0, series.values.length) : palette[0];
    return [{ data: series.values, backgroundColor: colours, borderWidth: 0 }];
  }

  // On a phone, long category names (topics, countries) are shortened on the axis; the
  // table beside each chart gives them in full.
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    var room = narrow ? 16 : 40;
    return label.length > room ? label.slice(0, room - 1) + "\u2026" : label;
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var series = data[canvas.getAttribute("data-chart")];
    if (!series) { return; }
    var kind = canvas.getAttribute("data-chart-type") || "bar";
    var horizontal = kind === "hbar";
    var type = horizontal ? "bar" : kind;
    var several = Boolean(series.datasets);
    var stacked = Boolean(series.stacked);
    new window.Chart(canvas, {
      type: type,
      data: { labels: series.labels, datasets: datasetsOf(series, type) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: {
            display: type === "doughnut" || several,
            position: type === "doughnut" && !narrow ? "right" : "bottom",
            labels: { boxWidth: 12 }
          }
        },
        scales: type === "doughnut" ? {} : {
          x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0, autoSkip: !horizontal } },
          y: { stacked: stacked, beginAtZero: true,
            ticks: horizontal ? { autoSkip: false, callback: shortLabel } : { precision: 0, autoSkip: false } }
        }
      }
    });
  });
})();
