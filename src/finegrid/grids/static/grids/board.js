// The public board's small map: the grid's boundary on a plain background, no tiles, no
// interaction (it is a picture on a notice, and must print).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const printButton = document.getElementById("board-print");
  if (printButton) printButton.addEventListener("click", () => window.print());

  const container = document.getElementById("board-map");
  const source = document.getElementById("board-boundary");
  if (!container || !source || typeof L === "undefined") return;
  const boundary = JSON.parse(source.textContent);
  if (!boundary) return;

  const map = L.map(container, {
    zoomControl: false,
    attributionControl: false,
    dragging: false,
    scrollWheelZoom: false,
    doubleClickZoom: false,
    boxZoom: false,
    keyboard: false,
    touchZoom: false,
    zoomSnap: 0.1,
  });
  const colour = getComputedStyle(document.documentElement).getPropertyValue("--fg-red").trim() || "#b91c1c";
  const shape = L.geoJSON(boundary, {
    style: { color: colour, weight: 3, fillColor: colour, fillOpacity: 0.12, interactive: false },
  }).addTo(map);
  const fit = () => map.fitBounds(shape.getBounds(), { padding: [12, 12], animate: false });
  fit();
  // The print layout resizes the box; refit so the outline stays whole on paper.
  window.addEventListener("beforeprint", () => {
    map.invalidateSize({ animate: false });
    fit();
  });
});
