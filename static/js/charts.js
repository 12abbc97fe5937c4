// The dashboard's charts, drawn with Chart.js (served from static/vendor, never a CDN) from the
// JSON the page carries in <script type="application/json" data-charts-data>. Each chart's summary
// and table are already in the page, so without this script, without the library or without data,
// nothing is lost: the canvas stays hidden and the text says it all.
(function () {
  "use strict";
  if (window.TremplinCharts) { return; } // the partial may be included twice
  window.TremplinCharts = { drawn: [] };

  // Dark enough for 3:1 against white (WCAG 1.4.11); a category keeps its colour everywhere.
  var PALETTE = ["#0b5cad", "#b45309", "#1b7f5a", "#6d4bb0", "#b42318", "#00798c",
                 "#8a6d00", "#4b5866", "#c2185b", "#3d5a80", "#7a4100", "#2e7d32"];
  var POINT_STYLES = ["circle", "rect", "triangle", "rectRot"];
  var LIVE_DELAY = 5000; // ms after the last action of the class

  function colour(index) {
    var n = Number(index) || 0;
    return PALETTE[((n % PALETTE.length) + PALETTE.length) % PALETTE.length];
  }

  function readData(section) {
    var node = section.querySelector("script[data-charts-data]");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent || "null"); } catch (error) { return null; }
  }

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function hasWeeks(chart) {
    return !!(chart && Array.isArray(chart.weeks) && chart.weeks.length &&
              Array.isArray(chart.series) && chart.series.length && chart.total > 0);
  }

  function baseOptions() {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion() ? false : { duration: 400 },
      plugins: { legend: { position: "bottom", labels: { usePointStyle: true } } }
    };
  }

  function weekTitle(chart) {
    return function (items) {
      if (!items.length) { return ""; }
      var titles = chart.week_titles || chart.weeks;
      return titles[items[0].dataIndex] || "";
    };
  }

  // Activity: one line per kind (posts, comments, invitations, other), marked by shape too.
  function activityConfig(chart) {
    var options = baseOptions();
    options.interaction = { mode: "index", intersect: false };
    options.scales = { x: { ticks: { autoSkip: true, maxRotation: 0 } },
                       y: { beginAtZero: true, ticks: { precision: 0 } } };
    options.plugins.tooltip = { callbacks: { title: weekTitle(chart) } };
    return {
      type: "line",
      data: {
        labels: chart.weeks,
        datasets: chart.series.map(function (series, index) {
          return {
            label: series.label, data: series.values, borderColor: colour(series.colour),
            backgroundColor: colour(series.colour), pointStyle: POINT_STYLES[index % 4],
            pointRadius: 3, borderWidth: 2, borderDash: index === 3 ? [6, 4] : [], tension: 0.2
          };
        })
      },
      options: options
    };
  }

  // Findings: stacked bars per week, one colour per category.
  function findingsConfig(chart) {
    var options = baseOptions();
    options.interaction = { mode: "index", intersect: false };
    options.scales = { x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 } },
                       y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } };
    options.plugins.tooltip = {
      callbacks: { title: weekTitle(chart) },
      filter: function (item) { return item.raw > 0; }
    };
    return {
      type: "bar",
      data: {
        labels: chart.weeks,
        datasets: chart.series.map(function (series) {
          return { label: series.label, data: series.values,
                   backgroundColor: colour(series.colour), borderColor: "#ffffff", borderWidth: 1 };
        })
      },
      options: options
    };
  }

  function initials(name) {
    var words = String(name || "").replace(/\(.*\)/, "").split(/[\s-]+/).filter(Boolean);
    return words.slice(0, 2).map(function (word) { return word.charAt(0); })
      .join("").toUpperCase();
  }

  // The network: positions come computed from the server; lines are drawn under the dots.
  function networkConfig(network) {
    var nodes = network.nodes, labels = network.labels || {};
    var groups = { student: [], persona: [] };
    nodes.forEach(function (node, index) {
      (groups[node.kind] || groups.persona).push({ x: node.x, y: node.y, node: index });
    });
    var edges = {
      id: "tremplinEdges",
      beforeDatasetsDraw: function (chart) {
        var ctx = chart.ctx, xs = chart.scales.x, ys = chart.scales.y;
        ctx.save();
        ctx.strokeStyle = "rgba(75, 88, 102, 0.45)";
        ctx.lineWidth = 1;
        (network.edges || []).forEach(function (edge) {
          var a = nodes[edge[0]], b = nodes[edge[1]];
          if (!a || !b) { return; }
          ctx.beginPath();
          ctx.moveTo(xs.getPixelForValue(a.x), ys.getPixelForValue(a.y));
          ctx.lineTo(xs.getPixelForValue(b.x), ys.getPixelForValue(b.y));
          ctx.stroke();
        });
        ctx.restore();
      },
      // Students' initials in their dots, so the graph reads without hovering.
      afterDatasetsDraw: function (chart) {
        var meta = chart.getDatasetMeta(0);
        if (!meta || meta.hidden) { return; }
        var ctx = chart.ctx;
        ctx.save();
        ctx.fillStyle = "#ffffff";
        ctx.font = "bold 9px system-ui, sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        meta.data.forEach(function (point, index) {
          var raw = groups.student[index];
          if (raw) { ctx.fillText(initials(nodes[raw.node].name), point.x, point.y); }
        });
        ctx.restore();
      }
    };
    var options = baseOptions();
    var axis = { display: false, min: -1.85, max: 1.85 };
    options.scales = { x: axis, y: { display: false, min: -1.85, max: 1.85 } };
    options.plugins.tooltip = {
      callbacks: {
        label: function (item) {
          var node = nodes[item.raw.node];
          if (!node) { return ""; }
          var about = [node.job_title, node.company].filter(Boolean).join(", ");
          return about ? node.name + " · " + about : node.name;
        }
      }
    };
    return {
      type: "scatter",
      data: {
        datasets: [
          { label: labels.student || "", data: groups.student, pointStyle: "circle",
            pointRadius: 10, pointHoverRadius: 12, backgroundColor: colour(0) },
          { label: labels.persona || "", data: groups.persona, pointStyle: "rectRot",
            pointRadius: 7, pointHoverRadius: 9, backgroundColor: colour(1) }
        ]
      },
      options: options,
      plugins: [edges]
    };
  }

  function configFor(kind, data) {
    if (kind === "activity" && hasWeeks(data.activity)) { return activityConfig(data.activity); }
    if (kind === "findings" && hasWeeks(data.findings)) { return findingsConfig(data.findings); }
    if (kind === "network" && data.network && Array.isArray(data.network.nodes) &&
        data.network.nodes.length) {
      return networkConfig(data.network);
    }
    return null;
  }

  function draw(section) {
    var data = readData(section);
    section.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var box = canvas.parentElement;
      var config = data && configFor(canvas.dataset.chart, data);
      if (!config) { box.hidden = true; return; } // the summary already says there is nothing
      box.hidden = false;
      try {
        window.TremplinCharts.drawn.push(new window.Chart(canvas, config));
      } catch (error) {
        box.hidden = true;
      }
    });
  }

  function forget(section) {
    window.TremplinCharts.drawn = window.TremplinCharts.drawn.filter(function (chart) {
      if (!section.contains(chart.canvas)) { return true; }
      chart.destroy();
      return false;
    });
  }

  // The section as the server renders it now; the tables the teacher opened stay open.
  function swap(section, html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var fresh = holder.content.querySelector("[data-charts]");
    if (!fresh) { return section; }
    section.querySelectorAll("details[open][id]").forEach(function (opened) {
      var twin = fresh.querySelector("#" + opened.id);
      if (twin) { twin.open = true; }
    });
    forget(section);
    section.replaceWith(fresh);
    draw(fresh);
    return fresh;
  }

  // During a lesson: a few seconds after the class's last action, fetch the section again
  // (one fetch at a time; not while the teacher is reading inside it, nor in a hidden tab).
  function keepLive(section) {
    var classId = section.dataset.chartsClass, source = section.dataset.chartsSrc;
    if (!classId || !source || !window.Tremplin || typeof window.fetch !== "function") { return; }
    var timer = null, busy = false;
    function schedule(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, delay);
    }
    function refresh() {
      if (busy || document.hidden || section.contains(document.activeElement)) {
        schedule(LIVE_DELAY);
        return;
      }
      busy = true;
      var url = source + (source.indexOf("?") < 0 ? "?" : "&") + "fragment=section";
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html) { section = swap(section, html); } })
        .catch(function () { /* the next action tries again */ })
        .then(function () { busy = false; });
    }
    window.Tremplin.on("class_activity", function (payload) {
      if (payload && String(payload.class_id) === classId) { schedule(LIVE_DELAY); }
    });
  }

  window.addEventListener("DOMContentLoaded", function () {
    var sections = document.querySelectorAll("[data-charts]");
    if (!sections.length) { return; }
    if (typeof window.Chart !== "function") {
      sections.forEach(function (section) {
        section.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
          canvas.parentElement.hidden = true;
        });
      });
      return;
    }
    var style = window.getComputedStyle(document.body);
    window.Chart.defaults.color = "#4b5866";
    window.Chart.defaults.font.family = style.fontFamily;
    sections.forEach(function (section) {
      draw(section);
      keepLive(section);
    });
  });
})();
