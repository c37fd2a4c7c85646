// Where a case is: the place picker of a report form, and the small map of a case page.
//
// The picker is a Leaflet map outlining the reporter's grids. A tap places the point (it fills
// the lat/lng fields); the phone's position does the same through the fields (cases.js sets
// them and fires "change"). Each point is asked of /grids/locate, which answers the micro-grid
// and the nearest named place; that place fills the address unless the user typed their own.
// Every word shown comes from the page (#place-config).
"use strict";

(() => {
  const css = getComputedStyle(document.documentElement);
  const RED = css.getPropertyValue("--fg-red").trim() || "#b91c1c";
  const OUTLINE = { color: "#c2410c", weight: 2, fillColor: "#c2410c", fillOpacity: 0.06, interactive: false };
  const POINT = { radius: 9, color: "#fff", weight: 3, fillColor: RED, fillOpacity: 1, className: "fg-place-point" };

  function baseMap(el, cfg, options = {}) {
    const map = L.map(el, { maxZoom: 19, zoomSnap: 0.25, attributionControl: Boolean(cfg.tile_url), ...options });
    if (cfg.tile_url) L.tileLayer(cfg.tile_url, { maxZoom: 19 }).addTo(map);
    return map;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_m, key) => String(values[key] ?? ""));
  }

  // --- the picker ----------------------------------------------------------------------------

  function picker() {
    const mapEl = document.getElementById("place-map");
    const source = document.getElementById("place-config");
    if (!mapEl || !source) return;
    const cfg = JSON.parse(source.textContent);
    const S = cfg.strings;
    const form = mapEl.closest("form");
    const lat = form.querySelector("input[name=lat]");
    const lng = form.querySelector("input[name=lng]");
    const address = form.querySelector("input[name=address]");
    const household = form.querySelector("select[name=household]");
    const answer = document.getElementById("place-answer");

    const map = baseMap(mapEl, cfg);
    const outline = L.geoJSON(cfg.outline, { style: OUTLINE });
    if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds(), { padding: [8, 8] });
    else if (cfg.start) map.setView(cfg.start, 17);
    else map.setView([30.66, 104.06], 12);
    outline.addTo(map); // after the view (see caseMap)

    let point = null;
    let filled = ""; // the address this script wrote, replaced freely by the next answer
    let token = 0;

    async function describe(latlng) {
      const mine = ++token;
      answer.textContent = S.finding;
      delete answer.dataset.grid;
      const params = new URLSearchParams({ lat: latlng.lat.toFixed(6), lng: latlng.lng.toFixed(6) });
      let body = null;
      let status = 0;
      try {
        const response = await fetch(`${cfg.api}grids/locate?${params}`, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        status = response.status;
        if (response.ok) body = await response.json();
      } catch (error) {
        console.warn(error);
      }
      if (mine !== token) return;
      if (!body) {
        answer.textContent = status === 404 ? S.outside : S.failed;
        return;
      }
      const place = body.place;
      const near = place
        ? fill(S.near, { place: place.name, metres: Math.round(place.distance_m) })
        : "";
      answer.textContent = [body.micro_grid.name, near].filter(Boolean).join(" · ");
      answer.dataset.grid = body.micro_grid.code;
      if (address && place && (!address.value || address.value === filled)) {
        address.value = filled = place.address;
      }
    }

    function put(latlng, { pan = false } = {}) {
      if (!point) point = L.circleMarker(latlng, POINT).addTo(map);
      else point.setLatLng(latlng);
      if (pan) map.panTo(latlng);
      if (household && household.value) household.value = ""; // a point replaces the household
      describe(latlng);
    }

    map.on("click", (event) => {
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
      form.dataset.placed = "1";
      put(event.latlng);
    });
    const typed = () => {
      const y = parseFloat(lat.value);
      const x = parseFloat(lng.value);
      if (Number.isFinite(y) && Number.isFinite(x) && Math.abs(y) <= 90 && Math.abs(x) <= 180) {
        put(L.latLng(y, x), { pan: true });
      }
    };
    lat.addEventListener("change", typed);
    lng.addEventListener("change", typed);
    if (household) {
      household.addEventListener("change", () => {
        if (!household.value) return;
        answer.textContent = household.selectedOptions[0].textContent;
        if (point) { point.remove(); point = null; }
        lat.value = lng.value = "";
      });
    }
    if (lat.value && lng.value) typed(); // a refused form comes back with its point
    mapEl.dataset.ready = "true"; // for tests
  }

  // A long household list is narrowed as one types: "3栋" or "1201" finds the door.
  function householdSearch() {
    const search = document.getElementById("household-search");
    const select = document.querySelector("select[name=household]");
    if (!search || !select) return;
    const options = [...select.options];
    search.addEventListener("input", () => {
      const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      let first = null;
      for (const option of options) {
        const text = option.textContent.toLowerCase();
        const shown = !option.value || words.every((w) => text.includes(w));
        option.hidden = !shown;
        if (shown && option.value && !first) first = option;
      }
      if (first && select.selectedOptions[0]?.hidden) select.value = "";
    });
  }

  // --- the case page -------------------------------------------------------------------------

  function caseMap() {
    const el = document.getElementById("case-map");
    if (!el || el.dataset.ready) return;
    const cfg = JSON.parse(document.getElementById("case-map-config").textContent);
    const map = baseMap(el, cfg, { scrollWheelZoom: false });
    // the view first: layers added to a map without one are drawn before their renderer knows
    // its bounds, and Leaflet fails on clipping them
    const outline = L.geoJSON(cfg.outline, { style: OUTLINE });
    const here = L.latLng(cfg.point[0], cfg.point[1]);
    const bounds = outline.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds.extend(here), { padding: [12, 12] });
    else map.setView(here, 17);
    outline.addTo(map);
    L.circleMarker(here, POINT).addTo(map);
    el.dataset.ready = "true";
  }

  function start() {
    if (typeof L === "undefined") return;
    picker();
    householdSearch();
    caseMap();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  // the case page is redrawn by htmx after each action
  document.addEventListener("htmx:afterSettle", caseMap);
})();
