// The resident's emergency button: press, confirm, then who is coming (polled every 3 s).
// A press carries an Idempotency-Key kept until the server answers, so pressing again after a
// lost answer is the same call, never two.
(function () {
  "use strict";
  var root = document.getElementById("sos");
  if (!root) { return; }
  var text = JSON.parse(document.getElementById("sos-text").textContent);
  var api = root.dataset.api;
  var $ = function (id) { return document.getElementById(id); };
  var timer = null;

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function show(id) {
    ["sos-ready", "sos-confirm", "sos-status"].forEach(function (s) { $(s).hidden = s !== id; });
  }
  function error(message) {
    $("sos-error").textContent = message;
    $("sos-error").hidden = !message;
  }
  function key() {
    var k = sessionStorage.getItem("fg-sos-key");
    if (!k) {
      k = "sos-" + Date.now() + "-" + Math.random().toString(36).slice(2);
      sessionStorage.setItem("fg-sos-key", k);
    }
    return k;
  }
  function render(call) {
    show("sos-status");
    $("sos-status-text").textContent = text[call.status] || call.status_label;
    var who = call.acknowledged_by ? call.acknowledged_by.name : "";
    $("sos-status-who").textContent = who;
    $("sos-status-time").textContent = text.since + " " + (call.raised_at || "").slice(11, 16);
    root.dataset.status = call.status;
    if (call.status === "closed") {
      clearInterval(timer);
      setTimeout(function () { show("sos-ready"); }, 8000);
    }
  }
  function poll(id) {
    clearInterval(timer);
    var read = function () {
      fetch(api + "/" + id, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (call) { if (call) { error(""); render(call); } })
        .catch(function () { /* keep the last state; the next poll tries again */ });
    };
    read();
    timer = setInterval(read, 3000);
  }
  function press() {
    error("");
    fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Idempotency-Key": key() },
      body: "{}"
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { show("sos-ready"); error(answer.body.message || text.network); return; }
      sessionStorage.removeItem("fg-sos-key");
      render(answer.body);
      poll(answer.body.id);
    }).catch(function () { show("sos-ready"); error(text.network); });
  }
  $("sos-press").addEventListener("click", function () { show("sos-confirm"); $("sos-yes").focus(); });
  $("sos-no").addEventListener("click", function () { show("sos-ready"); });
  $("sos-yes").addEventListener("click", press);
  if (root.dataset.open) { poll(root.dataset.open); }
})();
