// The program analytics' charts, drawn by Chart.js (served by our app, /static/vendor/) from the
// figures the page carries in <script type="application/json" id="figures">. Each chart's
// figures are also in the table beside it: for screen readers, and when this script does not run.
(function () {
  "use strict";
  var source = document.getElementById("figures");
  if (!source || typeof window.Chart === "undefined") return;
  var Chart = window.Chart;
  var COLOURS = ["#0b4f8a", "#f2a900", "#2e8540", "#c0392b", "#5b8fc7", "#56606b"];
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.color = "#1d2733";
  Chart.defaults.locale = "fr-CA";

  function colour(i) {
    return COLOURS[i % COLOURS.length];
  }

  function lines(label, width) {  // a long label on several lines (Chart.js cuts it otherwise)
    var words = String(label).split(" "), out = [""];
    words.forEach(function (word) {
      var last = out.length - 1;
      if (out[last] && (out[last] + " " + word).length > width) out.push(word);
      else out[last] = out[last] ? out[last] + " " + word : word;
    });
    return out;
  }

  function draw(table) {
    var holder = document.querySelector('.chart[data-key="' + table.key + '"]');
    if (!holder) return;
    var round = table.chart === "doughnut";
    var horizontal = table.chart === "horizontal";
    if (horizontal) {  // room for every bar: about 1 rem a label and series
      holder.style.height = Math.max(12, 5 + table.labels.length * (table.series.length + 1)) + "rem";
    }
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", table.title + " : graphique; les chiffres sont dans le tableau qui suit.");
    holder.appendChild(canvas);
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: { display: round || table.columns.length > 1, position: "bottom" },
      },
    };
    if (still) options.animation = false;
    if (!round) {
      options.scales = {};
      options.scales[horizontal ? "x" : "y"] = { beginAtZero: true, ticks: { precision: 0 } };
    }
    return new Chart(canvas, {
      type: round ? "doughnut" : table.chart === "line" ? "line" : "bar",
      data: {
        labels: horizontal ? table.labels.map(function (l) { return lines(l, 24); }) : table.labels,
        datasets: table.series.map(function (values, i) {
          return {
            label: table.columns[i],
            data: values,
            backgroundColor: round ? table.labels.map(function (_, j) { return colour(j); }) : colour(i),
            borderColor: round ? "#fff" : colour(i),
            tension: 0.2,
          };
        }),
      },
      options: options,
    });
  }

  JSON.parse(source.textContent).forEach(draw);
})();
