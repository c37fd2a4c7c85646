// The grid map (一幅图): one level at a time, drilled down by clicking.
//
// A "view" shows the children of one grid (or, at the top, the user's own root grids). Views
// stack up as the user drills; the previous view stays on the map, faded, as context, and its
// polygons can be clicked to move sideways. Every word shown comes from #map-strings.
//
// The level drilled to is in the URL (/map/?grid=CODE, the grid whose children are drawn): each
// move of the user pushes a history entry, so a link can be bookmarked or shared, and Back and
// Forward (popstate) rebuild the level by replaying the drill from the top.
"use strict";

(() => {
  const readJson = (id) => JSON.parse(document.getElementById(id).textContent);
  const S = readJson("map-strings");
  const CFG = readJson("map-config");
  const CHILD = { street: "community", community: "grid", grid: "micro" };
  const PAD = L.point(24, 24);
  const LABEL_LIMIT = 80; // more polygons than this get hover labels instead of permanent ones

  const css = getComputedStyle(document.documentElement);
  const cssVar = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const COLOURS = {
    street: cssVar("--fg-level-street", "#475569"),
    community: cssVar("--fg-level-community", "#1d4ed8"),
    grid: cssVar("--fg-level-grid", "#047857"),
    micro: cssVar("--fg-level-micro", "#c2410c"),
    dedicated: cssVar("--fg-dedicated", "#a21caf"),
    selected: cssVar("--fg-selected", "#dc2626"),
    context: "#94a3b8",
  };

  const mapEl = document.getElementById("map");
  const card = document.getElementById("grid-card");
  const crumbs = document.querySelector("#grid-crumbs ol");
  const upButton = document.getElementById("grid-up");
  const statusEl = document.getElementById("map-status");
  const list = document.getElementById("grid-list");

  const map = L.map(mapEl, {
    preferCanvas: false, // SVG paths: clickable and addressable by data-code in browser tests
    minZoom: 3,
    maxZoom: 19,
    attributionControl: Boolean(CFG.tile_url),
  });
  map.setView([30.66, 104.06], 12);
  if (CFG.tile_url) {
    L.tileLayer(CFG.tile_url, { maxZoom: 19 }).addTo(map);
  }

  let stack = []; // views: {parent, name, data, bounds}
  let childGroup = null;
  let contextGroup = null;
  let selectedCode = null;
  let navToken = 0;
  let cardToken = 0;
  const pathsByCode = new Map();
  const layerCache = new Map();

  // --- data ----------------------------------------------------------------------------------

  async function getJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  function loadLayer(level, parent, zoom) {
    const params = new URLSearchParams({ level, zoom: String(zoom), crs: CFG.tile_crs || "wgs84" });
    if (parent) params.set("parent", parent);
    const url = `${CFG.api}grids/layer?${params}`;
    if (!layerCache.has(url)) {
      const pending = getJson(url);
      pending.catch(() => layerCache.delete(url));
      layerCache.set(url, pending);
    }
    return layerCache.get(url);
  }

  function setStatus(text) {
    statusEl.textContent = text || "";
  }

  async function busy(promise) {
    setStatus(S.loading);
    mapEl.setAttribute("aria-busy", "true");
    try {
      const result = await promise;
      setStatus("");
      return result;
    } catch (error) {
      setStatus(S.load_error);
      console.warn(error);
      return null;
    } finally {
      mapEl.removeAttribute("aria-busy");
    }
  }

  // --- styles --------------------------------------------------------------------------------

  function colourOf(props) {
    return props.kind === "dedicated" ? COLOURS.dedicated : COLOURS[props.level] || COLOURS.street;
  }

  function childStyle(feature) {
    const p = feature.properties;
    const colour = colourOf(p);
    return {
      className: `grid-poly grid-poly--${p.kind === "dedicated" ? "dedicated" : p.level}`,
      color: colour,
      weight: p.level === "micro" ? 1.5 : 2,
      opacity: 0.9,
      fillColor: colour,
      fillOpacity: p.kind === "dedicated" ? 0.22 : 0.1,
    };
  }

  const SELECTED_STYLE = { color: COLOURS.selected, weight: 4, fillOpacity: 0.28 };

  function contextStyle(parentCode) {
    return (feature) =>
      feature.properties.code === parentCode
        ? { className: "grid-context grid-context--parent", color: colourOf(feature.properties),
            weight: 3, dashArray: "6 4", fill: false, interactive: false }
        : { className: "grid-context", color: COLOURS.context, weight: 1, fillColor: COLOURS.context,
            fillOpacity: 0.08 };
  }

  // --- drawing -------------------------------------------------------------------------------

  function render() {
    const view = stack[stack.length - 1];
    const previous = stack.length > 1 ? stack[stack.length - 2] : null;
    if (childGroup) childGroup.remove();
    if (contextGroup) contextGroup.remove();
    contextGroup = null;
    pathsByCode.clear();

    if (previous) {
      contextGroup = L.geoJSON(previous.data, {
        style: contextStyle(view.parent),
        onEachFeature: (feature, layer) => {
          layer.on("click", (event) => {
            L.DomEvent.stop(event);
            moveSideways(feature.properties, layer.getBounds());
          });
        },
      }).addTo(map);
      contextGroup.eachLayer((layer) => layer.getElement()?.setAttribute("data-code", layer.feature.properties.code));
    }

    const many = view.data.features.length > LABEL_LIMIT;
    childGroup = L.geoJSON(view.data, {
      style: childStyle,
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(feature.properties.name, {
          permanent: !many,
          sticky: many,
          direction: "center",
          className: "grid-label",
          interactive: false,
        });
        layer.on("click", (event) => {
          L.DomEvent.stop(event);
          openGrid(feature.properties, layer.getBounds());
        });
      },
    }).addTo(map);
    childGroup.eachLayer((layer) => {
      const code = layer.feature.properties.code;
      const el = layer.getElement();
      if (el) {
        el.classList.add("grid-poly");
        el.setAttribute("data-code", code);
      }
      pathsByCode.set(code, layer);
    });
    highlight(selectedCode);
    renderCrumbs();
    renderList();
    upButton.disabled = stack.length <= 1;
    mapEl.dataset.parent = view.parent || ""; // the grid whose children are drawn (for tests)
  }

  function fitView(view) {
    const bounds = view.bounds || (childGroup && childGroup.getBounds());
    if (!bounds || !bounds.isValid()) return;
    map.fitBounds(bounds, { padding: [PAD.x / 2, PAD.y / 2] });
    updateLabels();
  }

  // A name is shown only where its polygon is wide enough on screen to hold it, so small
  // micro-grids on a phone do not drown in overlapping labels.
  function updateLabels() {
    if (!childGroup) return;
    childGroup.eachLayer((layer) => {
      const label = layer.getTooltip()?.getElement();
      if (!label || !layer.getTooltip().options.permanent) return;
      label.classList.remove("is-hidden"); // measure it shown
      const b = layer.getBounds();
      const nw = map.latLngToLayerPoint(b.getNorthWest());
      const se = map.latLngToLayerPoint(b.getSouthEast());
      const fits = 0.8 * (se.x - nw.x) >= label.offsetWidth && se.y - nw.y >= 2 * label.offsetHeight;
      label.classList.toggle("is-hidden", !fits);
    });
  }
  map.on("zoomend", updateLabels);

  function highlight(code) {
    if (childGroup) childGroup.eachLayer((layer) => childGroup.resetStyle(layer));
    const layer = code && pathsByCode.get(code);
    if (layer) {
      layer.setStyle(SELECTED_STYLE);
      layer.bringToFront();
    }
    for (const button of list.querySelectorAll("button[data-code]")) {
      button.setAttribute("aria-pressed", String(button.dataset.code === code));
    }
  }

  // --- navigation ----------------------------------------------------------------------------

  // --- the level in the URL -----------------------------------------------------------------

  function urlGrid() {
    return new URLSearchParams(window.location.search).get("grid") || null;
  }

  function record(code, { replace = false } = {}) {
    const url = new URL(window.location.href);
    if (code) url.searchParams.set("grid", code);
    else url.searchParams.delete("grid");
    if (url.href === window.location.href) return;
    history[replace ? "replaceState" : "pushState"]({ grid: code }, "", url);
  }

  // Select a polygon and, if it has a level below, show that level inside it.
  async function openGrid(props, bounds, { replace = false, remember = true } = {}) {
    select(props.code);
    const childLevel = CHILD[props.level];
    if (!childLevel) return false;
    const token = ++navToken;
    const zoom = Math.round(map.getBoundsZoom(bounds, false, PAD));
    const data = await busy(loadLayer(childLevel, props.code, zoom));
    if (token !== navToken || !data) return false;
    if (!data.features.length) return false; // e.g. a dedicated grid with no micro-grids
    if (replace) stack.pop();
    stack.push({ parent: props.code, name: props.name, data, bounds });
    render();
    fitView(stack[stack.length - 1]);
    if (remember) record(props.code);
    return true;
  }

  // Show the level of ``code`` as if drilled to by hand: from the top, through each ancestor in
  // the user's jurisdiction. A grid with no level below ends selected in its parent's level.
  let restoreToken = 0;
  async function restore(code) {
    const mine = ++restoreToken;
    goTo(0, { remember: false });
    if (!code) return;
    let chain;
    try {
      const detail = await getJson(`${CFG.api}grids/${encodeURIComponent(code)}`);
      chain = [...detail.ancestors.map((a) => a.code), detail.code];
    } catch (error) {
      console.warn(error); // out of jurisdiction or gone: the top level it is
      return;
    }
    const first = chain.findIndex((c) => pathsByCode.has(c));
    if (first < 0) return;
    for (const c of chain.slice(first)) {
      const layer = pathsByCode.get(c);
      if (mine !== restoreToken || !layer) return;
      if (!(await openGrid(layer.feature.properties, layer.getBounds(), { remember: false }))) return;
    }
  }

  window.addEventListener("popstate", () => restore(urlGrid()));

  function moveSideways(props, bounds) {
    const view = stack[stack.length - 1];
    if (props.code === view.parent) {
      select(props.code);
      return;
    }
    openGrid(props, bounds, { replace: true });
  }

  function goTo(index, { remember = true } = {}) {
    if (index < 0 || index >= stack.length) return;
    navToken++;
    stack = stack.slice(0, index + 1);
    const view = stack[index];
    render();
    fitView(view);
    if (view.parent) select(view.parent);
    if (remember) record(view.parent);
  }

  upButton.addEventListener("click", () => goTo(stack.length - 2));

  function renderCrumbs() {
    crumbs.replaceChildren();
    stack.forEach((view, index) => {
      const item = document.createElement("li");
      if (index > 0) item.append(el("span", { class: "fg-crumb-sep", "aria-hidden": "true" }, "›"));
      const label = index === 0 && !view.parent ? S.overview : view.name;
      if (index === stack.length - 1) {
        const span = document.createElement("span");
        span.textContent = label;
        span.setAttribute("aria-current", "location");
        item.append(span);
      } else {
        const link = document.createElement("a");
        // a real link to the level, so it opens in a new tab or can be copied
        link.href = view.parent ? `?grid=${encodeURIComponent(view.parent)}` : window.location.pathname;
        link.textContent = label;
        link.dataset.depth = String(index);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          goTo(index);
        });
        item.append(link);
      }
      crumbs.append(item);
    });
  }

  function renderList() {
    const view = stack[stack.length - 1];
    const heading = list.querySelector("h3");
    const ul = list.querySelector("ul");
    heading.textContent = view.parent ? `${S.in_area} · ${view.name}` : S.overview;
    ul.replaceChildren();
    for (const feature of view.data.features) {
      const p = feature.properties;
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.code = p.code;
      const name = document.createElement("span");
      name.textContent = p.kind === "dedicated" ? `${p.name} · ${S.dedicated}` : p.name;
      const count = document.createElement("span");
      count.className = "fg-muted";
      count.textContent = `${p.households} ${S.households}`;
      button.append(name, count);
      button.addEventListener("click", () => {
        const layer = pathsByCode.get(p.code);
        if (layer) openGrid(p, layer.getBounds());
      });
      const item = document.createElement("li");
      item.append(button);
      ul.append(item);
    }
    list.hidden = view.data.features.length === 0;
  }

  // --- the card ------------------------------------------------------------------------------

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  async function select(code) {
    selectedCode = code;
    highlight(code);
    const token = ++cardToken;
    card.setAttribute("aria-busy", "true");
    try {
      const detail = await getJson(`${CFG.api}grids/${encodeURIComponent(code)}`);
      if (token !== cardToken) return;
      renderCard(detail);
    } catch (error) {
      if (token !== cardToken) return;
      setStatus(S.load_error);
      console.warn(error);
    } finally {
      if (token === cardToken) card.removeAttribute("aria-busy");
    }
  }

  function renderCard(d) {
    const dedicated = d.kind === "dedicated";
    const badges = [el("span", { class: `fg-badge fg-badge--${d.level}` }, S.levels[d.level] || d.level)];
    if (dedicated) {
      const type = S.dedicated_types[d.dedicated_type];
      badges.push(" ", el("span", { class: "fg-badge fg-badge--dedicated" }, type ? `${S.dedicated} · ${type}` : S.dedicated));
    }
    const path = d.ancestors.length
      ? el("p", { class: "fg-card-path", "aria-label": S.path }, d.ancestors.map((a) => a.name).join(" › "))
      : null;

    const facts = el("dl", {}, el("dt", {}, S.code), el("dd", {}, el("code", {}, d.code)),
      el("dt", {}, S.households), el("dd", { "data-field": "households" }, String(d.households)));
    for (const key of ["community", "grid", "micro", "dedicated"]) {
      const n = d.children[key];
      if (n) facts.append(el("dt", {}, S.children[key]), el("dd", { "data-field": key }, String(n)));
    }

    const people = el("ul", {});
    for (const r of d.responsible) {
      const phone = r.phone
        ? el("a", { href: `tel:${r.phone.replace(/[^\d+]/g, "")}` }, r.phone)
        : null;
      people.append(el("li", {}, el("strong", {}, r.name), " ", el("span", { class: "fg-duty" }, r.duty_label),
        phone ? el("br") : null, phone));
    }
    if (!d.responsible.length) people.append(el("li", { class: "fg-muted" }, S.nobody));

    const board = el("a", { href: CFG.board.replace("CODE", encodeURIComponent(d.code)), target: "_blank",
      rel: "noopener", role: "button", class: "outline" }, S.board);
    const staffing = el("a", { href: CFG.staffing.replace("CODE", encodeURIComponent(d.code)),
      role: "button", class: "outline", id: "card-staffing" }, S.staffing);

    card.replaceChildren(
      el("header", {}, el("h2", {}, d.name), ...badges, path),
      facts,
      el("h3", {}, S.responsible),
      people,
      el("footer", {}, board, d.can_staff ? " " : null, d.can_staff ? staffing : null),
    );
    card.dataset.code = d.code;
  }

  // --- legend and start ----------------------------------------------------------------------

  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = L.DomUtil.create("div", "fg-legend");
    box.setAttribute("aria-label", S.legend);
    for (const level of ["community", "grid", "micro"]) {
      box.append(el("div", {}, el("i", { style: `border-color:${COLOURS[level]};background:${COLOURS[level]}22` }), S.levels[level]));
    }
    box.append(el("div", {}, el("i", { style: `border-color:${COLOURS.dedicated};background:${COLOURS.dedicated}44` }), S.dedicated));
    return box;
  };
  legend.addTo(map);

  function rootsBounds() {
    const bounds = L.latLngBounds([]);
    for (const root of CFG.roots) if (root.bounds) bounds.extend(root.bounds);
    return bounds;
  }

  async function start() {
    if (!CFG.roots.length) return;
    const initial = rootsBounds();
    if (initial.isValid()) map.fitBounds(initial, { padding: [PAD.x / 2, PAD.y / 2] });
    const zoom = Math.round(map.getZoom());
    // Roots may be of several levels (a community here, a micro-grid there): fetch each level in
    // scope and keep just the roots.
    const codes = new Set(CFG.roots.map((r) => r.code));
    const levels = [...new Set(CFG.roots.map((r) => r.level))];
    const layers = await busy(Promise.all(levels.map((level) => loadLayer(level, null, zoom))));
    if (!layers) return;
    const features = layers.flatMap((fc) => fc.features).filter((f) => codes.has(f.properties.code));
    stack = [{ parent: null, name: S.overview, data: { type: "FeatureCollection", features }, bounds: null }];
    render();
    fitView(stack[0]);
    const wanted = urlGrid();
    if (wanted) {
      await restore(wanted);
    } else if (CFG.roots.length === 1) {
      // one root: open it at once, and say so in the URL (Back from below comes here)
      const layer = pathsByCode.get(CFG.roots[0].code);
      if (!layer) select(CFG.roots[0].code);
      else if (await openGrid(layer.feature.properties, layer.getBounds(), { remember: false })) {
        record(CFG.roots[0].code, { replace: true });
      }
    }
  }

  // data-ready: the first level is drawn (or failed, with the status line saying so); for tests.
  start().finally(() => {
    mapEl.dataset.ready = "true";
  });
})();
