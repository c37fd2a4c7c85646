// The special-population map: their households as dots. No tiles unless the site names a
// tile server (as on the main map); the points arrive already in the tiles' coordinate system.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("special-map");
  if (!container || typeof L === "undefined") return;
  const points = JSON.parse(document.getElementById("special-points").textContent);
  const config = JSON.parse(document.getElementById("special-config").textContent);
  if (!points.length) return;
  const map = L.map(container, { attributionControl: Boolean(config.tile_url), zoomSnap: 0.25 });
  if (config.tile_url) L.tileLayer(config.tile_url, { maxZoom: 19 }).addTo(map);
  const colour = getComputedStyle(document.documentElement).getPropertyValue("--fg-red").trim() || "#b91c1c";
  const dots = points.map((p) => {
    const dot = L.circleMarker([p.lat, p.lng], {
      radius: 6, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.9, className: "fg-dot",
    });
    dot.bindTooltip(p.address);
    dot.on("click", () => { window.location.href = p.url; });
    dot.on("add", () => dot.getElement().setAttribute("data-url", p.url));
    return dot;
  });
  const layer = L.featureGroup(dots).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17, animate: false });
});
