/*
 * Draws the console's charts with Chart.js (/assets/vendor/chart.umd.js, loaded before this file).
 * Convention, for any page: <canvas data-chart="bar|line|doughnut|pie" data-chart-data="ID"> and,
 * anywhere on the page, <script type="application/json" id="ID">{ "labels": [...], "datasets":
 * [{ "label": "...", "data": [...] }] }</script> (Chart.js's own `data` shape). The page shows the
 * same numbers in a table, so without JavaScript nothing is lost; no inline script is needed.
 */
(function () {
  'use strict';
  var Chart = window.Chart;
  if (typeof Chart !== 'function') return;
  var PALETTE = ['#1a56db', '#15803d', '#b45309', '#7c3aed', '#be123c', '#0e7490', '#52606d'];
  var canvases = document.querySelectorAll('canvas[data-chart]');
  Array.prototype.forEach.call(canvases, function (canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart-data') || '');
    if (!source) return;
    var data;
    try {
      data = JSON.parse(source.textContent || '');
    } catch (error) {
      return;
    }
    var type = canvas.getAttribute('data-chart');
    var round = type === 'doughnut' || type === 'pie';
    (data.datasets || []).forEach(function (dataset, index) {
      if (dataset.backgroundColor) return;
      dataset.backgroundColor = round ? PALETTE.slice(0, (dataset.data || []).length) : PALETTE[index % PALETTE.length];
      if (type === 'line') dataset.borderColor = PALETTE[index % PALETTE.length];
    });
    new Chart(canvas, {
      type: type,
      data: data,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: round || (data.datasets || []).length > 1 } },
        scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.setAttribute('data-chart-drawn', 'true');
  });
})();
