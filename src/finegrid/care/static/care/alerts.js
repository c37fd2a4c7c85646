// The worker's alert page (/care/alerts/): holds the WebSocket /ws/alerts/ open and shows each
// emergency call once, by its id, however many messages about it arrive. Plain ES2015 without a
// build step, for the cheap Android browsers workers carry.
//
// Messages (care/consumers.py, care/messages.py):
//   care.hello  {calls: [alert + state]}  on every connection: the whole truth, replaces ours
//   care.alert  {call, step, person, place, ...}  a step alerted us (again, after a restart)
//   care.update {call, what: acknowledged|closed|unanswered, mine, acknowledged_by}
// Buttons call /api/v1/care/emergency-calls/{id}/{acknowledge,on-way,arrive,close} with the
// session and the CSRF cookie.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("alerts-config").textContent);
  var T = cfg.texts;
  var EN = cfg.lang === "en";
  var RINGS = { alerting: true, unanswered: true };
  var HANDLING = { acknowledged: true, on_way: true, arrived: true };

  var calls = {}; // call id -> {id, alert, status, mine, by, note, dismissed, busy, error}
  var seen = {}; // outbox row ids already handled: a message sent twice is shown once
  var muted = {};
  var socket = null;
  var retry = 0;
  var retryTimer = null;
  var lastHeard = 0;
  var heard = 0; // messages received, on the status line (for the page's tests)
  var loggedOut = false;
  var audio = null;
  var tapped = false;
  var ringTimer = null;
  var wakeLock = null;
  var closing = null;
  var baseTitle = document.title;

  var el = function (id) {
    return document.getElementById(id);
  };

  // --- text ------------------------------------------------------------------------------
  function say(obj, key) {
    key = key || "message";
    if (!obj) return "";
    return (EN ? obj[key + "_en"] : obj[key]) || obj[key] || obj[key + "_en"] || "";
  }
  function fill(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (_m, name) {
      return params[name] === undefined ? "" : String(params[name]);
    });
  }
  function clock(iso) {
    // Beijing time whatever the phone's zone (DESIGN: Asia/Shanghai on screen)
    var t = Date.parse(iso || "");
    if (isNaN(t)) return "";
    var d = new Date(t + 8 * 3600 * 1000);
    var two = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
  }
  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  // --- the connection ----------------------------------------------------------------------
  function setConnection(state) {
    var p = el("alerts-connection");
    p.setAttribute("data-state", state);
    p.textContent = T[state] || state;
    if (state === "login") {
      p.textContent = T.login + " ";
      var a = node("a", "", "→");
      a.href = cfg.login;
      p.appendChild(a);
    }
  }

  function wsUrl() {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + cfg.ws;
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (loggedOut || (socket && socket.readyState <= 1)) return;
    setConnection("connecting");
    var ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch (e) {
      schedule();
      return;
    }
    socket = ws;
    ws.onopen = function () {
      lastHeard = Date.now();
    };
    ws.onmessage = function (event) {
      lastHeard = Date.now();
      heard += 1;
      el("alerts-connection").setAttribute("data-heard", String(heard));
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      handle(message);
    };
    ws.onclose = function (event) {
      if (socket !== ws) return;
      socket = null;
      if (event.code === 4401) {
        loggedOut = true;
        setConnection("login");
        return;
      }
      schedule();
    };
  }

  function schedule() {
    if (loggedOut || retryTimer) return;
    setConnection(navigator.onLine === false ? "offline" : "reconnecting");
    // 1, 2, 4 … 30 s, each shortened at random so that a server's pages do not all come back
    // in the same second after it restarts
    var delay = Math.min(30000, 1000 * Math.pow(2, retry));
    retry += 1;
    retryTimer = setTimeout(connect, delay * (0.5 + Math.random() * 0.5));
  }

  function now() {
    // back online or back in front: try at once
    if (socket || loggedOut) return;
    retry = 0;
    connect();
  }

  // our own heartbeat: a phone that changed networks may hold a dead socket for minutes
  setInterval(function () {
    if (!socket || socket.readyState !== 1) return;
    if (Date.now() - lastHeard > 50000) {
      var dead = socket;
      socket = null;
      dead.onclose = null;
      try {
        dead.close();
      } catch (e) {
        /* already gone */
      }
      schedule();
      return;
    }
    socket.send(JSON.stringify({ type: "care.ping" }));
  }, 20000);

  window.addEventListener("online", now);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      now();
      keepAwake();
    }
  });

  // --- what the server tells us ------------------------------------------------------------
  function entry(id) {
    if (!calls[id]) calls[id] = { id: id, status: "alerting", mine: false };
    return calls[id];
  }

  function applyState(c, s) {
    if (s.status) c.status = s.status;
    if (s.mine !== undefined) c.mine = !!s.mine;
    if (s.acknowledged_by !== undefined) c.by = s.acknowledged_by;
    if (c.by && !c.mine) {
      c.dismissed = true;
      c.note = c.by.name ? fill(T.taken_by, { name: c.by.name }) : T.taken;
    }
  }

  function handle(m) {
    if (m.outbound) {
      if (seen[m.outbound]) return;
      seen[m.outbound] = true;
    }
    if (m.type === "care.hello") {
      retry = 0;
      setConnection("connected");
      var present = {};
      (m.calls || []).forEach(function (a) {
        present[a.call] = true;
        var c = entry(a.call);
        c.alert = a;
        applyState(c, a);
      });
      // what is not open any more was closed while we were away
      Object.keys(calls).forEach(function (id) {
        if (!present[id] && !calls[id].dismissed) delete calls[id];
      });
    } else if (m.type === "care.alert") {
      var c = entry(m.call);
      // a later step's alert (or the same one again) updates the one card
      c.alert = m;
    } else if (m.type === "care.update") {
      var u = calls[m.call];
      if (!u) return;
      if (m.what === "closed") {
        delete calls[m.call];
      } else {
        applyState(u, m);
        if (m.what === "unanswered") u.note = say(m);
        else if (m.what === "acknowledged" && u.dismissed) u.note += " " + say(m);
      }
    } else {
      return;
    }
    render();
  }

  // --- the buttons -------------------------------------------------------------------------
  function csrf() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : "";
  }

  function post(id, action, body) {
    return fetch(cfg.api + "/" + id + "/" + action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf(),
      },
      body: JSON.stringify(body || {}),
    }).then(function (answer) {
      return answer
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          return { ok: answer.ok, status: answer.status, body: json };
        });
    });
  }

  function act(id, action, body) {
    var c = calls[id];
    if (!c || c.busy) return Promise.resolve(null);
    c.busy = true;
    c.error = "";
    render();
    return post(id, action, body)
      .then(
        function (r) {
          c.busy = false;
          if (r.ok) {
            var b = r.body;
            c.status = b.status;
            c.by = b.acknowledged_by;
            c.mine = !!(b.acknowledged_by && b.acknowledged_by.id === cfg.user);
            if (b.status === "closed") delete calls[id];
            else applyState(c, {});
          } else {
            c.error = say(r.body) || T.network;
            // taken by someone else first: the server says by whom
            if (r.status === 409 && action === "acknowledge") {
              c.dismissed = true;
              c.note = c.error;
            }
          }
          render();
          return r;
        },
        function () {
          c.busy = false;
          c.error = T.network;
          render();
          return null;
        },
      );
  }

  function arrive(id) {
    var c = calls[id];
    if (!c) return;
    if (!navigator.geolocation) {
      c.error = T.no_gps;
      render();
      return;
    }
    c.error = T.locating;
    render();
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        act(id, "arrive", {
          lat: pos.coords.latitude,
          lng: pos.coords.longitude,
          accuracy: pos.coords.accuracy,
        });
      },
      function () {
        c.error = T.no_gps;
        render();
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 },
    );
  }

  function askClose(id) {
    closing = id;
    var dialog = el("alerts-close-dialog");
    var form = el("alerts-close-form");
    form.reset();
    form.querySelector("[data-role=error]").textContent = "";
    if (dialog.showModal) dialog.showModal();
    else dialog.setAttribute("open", "");
  }

  function buildOutcomes() {
    var box = el("alerts-outcomes");
    cfg.outcomes.forEach(function (pair, i) {
      var label = node("label", "fg-alerts-outcome");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "outcome";
      input.value = pair[0];
      input.required = i === 0;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + pair[1]));
      box.appendChild(label);
    });
    el("alerts-close-form").addEventListener("submit", function (event) {
      var dialog = el("alerts-close-dialog");
      var submitter = event.submitter || document.activeElement;
      if (!submitter || submitter.value !== "close") {
        closing = null;
        if (!dialog.showModal) dialog.removeAttribute("open");
        return;
      }
      event.preventDefault();
      var form = event.target;
      var chosen = form.querySelector("input[name=outcome]:checked");
      var id = closing;
      if (!chosen || id === null) return;
      act(id, "close", { outcome: chosen.value, note: form.note.value }).then(function (r) {
        if (r && r.ok) {
          closing = null;
          if (dialog.close) dialog.close();
          else dialog.removeAttribute("open");
        } else {
          form.querySelector("[data-role=error]").textContent = (r && say(r.body)) || T.network;
        }
      });
    });
  }

  // --- drawing -----------------------------------------------------------------------------
  function button(text, cls, onClick, busy) {
    var b = node("button", cls, text);
    b.type = "button";
    b.disabled = !!busy;
    if (busy) b.setAttribute("aria-busy", "true");
    b.addEventListener("click", onClick);
    return b;
  }

  function facts(card, c) {
    var a = c.alert || {};
    card.appendChild(node("h3", "fg-alerts-person", a.person || "#" + c.id));
    card.appendChild(node("p", "fg-alerts-place", a.place || ""));
    var when = clock(a.raised_at);
    if (when) card.appendChild(node("p", "fg-alerts-fact", T.raised_at + " " + when));
    var role = say(a.role_label);
    if (role) card.appendChild(node("p", "fg-alerts-fact", T.as_role + ": " + role));
    if (a.lat !== null && a.lat !== undefined && a.lng !== null && a.lng !== undefined) {
      var map = node("a", "fg-alerts-map", T.map);
      map.href = "geo:" + a.lat + "," + a.lng + "?q=" + a.lat + "," + a.lng;
      card.appendChild(map);
    }
  }

  function card(c, kind) {
    var box = node("article", "fg-alerts-card fg-alerts-card--" + kind);
    box.setAttribute("data-call", String(c.id));
    box.setAttribute("data-status", c.status);
    facts(box, c);
    if (kind === "ringing") {
      box.appendChild(node("p", "fg-alerts-message", say(c.alert)));
    } else if (kind === "mine") {
      box.appendChild(node("p", "fg-alerts-fact", T.status + ": " + (cfg.statuses[c.status] || c.status)));
    }
    if (c.note) box.appendChild(node("p", "fg-alerts-note", c.note));
    if (c.error) box.appendChild(node("p", "fg-alerts-error", c.error)).setAttribute("role", "alert");
    var actions = node("div", "fg-alerts-actions");
    var id = c.id;
    if (kind === "ringing") {
      actions.appendChild(
        button(T.acknowledge, "fg-alerts-big fg-alerts-take", function () {
          unlockAudio();
          act(id, "acknowledge");
        }, c.busy),
      );
    } else if (kind === "mine") {
      if (c.status === "acknowledged") {
        actions.appendChild(button(T.on_way, "fg-alerts-big", function () {
          act(id, "on-way");
        }, c.busy));
      }
      if (c.status === "acknowledged" || c.status === "on_way") {
        actions.appendChild(button(T.arrive, "fg-alerts-big", function () {
          arrive(id);
        }, c.busy));
      }
      actions.appendChild(button(T.close, "fg-alerts-big secondary", function () {
        askClose(id);
      }, c.busy));
    } else {
      actions.appendChild(button(T.ok, "secondary outline", function () {
        delete calls[id];
        render();
      }));
    }
    box.appendChild(actions);
    return box;
  }

  function render() {
    var ringing = [];
    var mine = [];
    var notes = [];
    Object.keys(calls)
      .map(function (id) {
        return calls[id];
      })
      .sort(function (x, y) {
        return x.id - y.id;
      })
      .forEach(function (c) {
        if (c.dismissed) notes.push(c);
        else if (c.mine && HANDLING[c.status]) mine.push(c);
        else if (!c.mine && (RINGS[c.status] || !c.by)) ringing.push(c);
      });
    var ringBox = el("alerts-ringing");
    ringBox.textContent = "";
    ringing.forEach(function (c) {
      ringBox.appendChild(card(c, "ringing"));
    });
    el("alerts-overlay").hidden = ringing.length === 0;
    document.body.classList.toggle("fg-alerts-ringing", ringing.length > 0);

    var mineBox = el("alerts-mine-list");
    mineBox.textContent = "";
    mine.forEach(function (c) {
      mineBox.appendChild(card(c, "mine"));
    });
    el("alerts-mine").hidden = mine.length === 0;

    var noteBox = el("alerts-notes");
    noteBox.textContent = "";
    notes.forEach(function (c) {
      noteBox.appendChild(card(c, "note"));
    });
    el("alerts-none").hidden = ringing.length + mine.length + notes.length > 0;

    var loud = ringing.some(function (c) {
      return !muted[c.id];
    });
    ring(loud);
    document.title = ringing.length ? "🔴 " + T.title_alert + " · " + baseTitle : baseTitle;
  }

  // --- sound: browsers play it only after a first tap on the page ----------------------------
  function unlockAudio() {
    tapped = true;
    if (!audio) {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      try {
        audio = new Ctx();
      } catch (e) {
        audio = null;
        return;
      }
    }
    if (audio.state === "suspended" && audio.resume) audio.resume();
  }

  function tone(at, freq, length) {
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = "square";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    gain.gain.setValueAtTime(0.4, at + length - 0.05);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    osc.connect(gain);
    gain.connect(audio.destination);
    osc.start(at);
    osc.stop(at + length + 0.02);
  }

  function vibrate(pattern) {
    // like sound, vibration is refused (with a console error) before the first tap
    var active = navigator.userActivation ? navigator.userActivation.hasBeenActive : tapped;
    if (navigator.vibrate && active) navigator.vibrate(pattern);
  }

  function beep() {
    vibrate([400, 150, 400]);
    if (!audio || audio.state !== "running") return;
    var t = audio.currentTime + 0.01;
    tone(t, 988, 0.25);
    tone(t + 0.3, 784, 0.25);
    tone(t + 0.6, 988, 0.25);
  }

  function ring(on) {
    if (on && !ringTimer) {
      beep();
      ringTimer = setInterval(beep, 1500);
    } else if (!on && ringTimer) {
      clearInterval(ringTimer);
      ringTimer = null;
      vibrate(0);
    }
  }

  function keepAwake() {
    // the screen stays on while the page is in front (where supported), so an alert is seen
    if (!navigator.wakeLock || wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(
      function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () {
          wakeLock = null;
        });
      },
      function () {
        /* refused: the page still alerts */
      },
    );
  }

  el("alerts-enable-btn").addEventListener("click", function () {
    unlockAudio();
    keepAwake();
    el("alerts-enable").hidden = true;
    el("alerts-enabled").hidden = false;
    if (audio) {
      // one short tone: the worker hears that sound works
      var t = audio.currentTime + 0.05;
      tone(t, 988, 0.15);
    }
  });
  // any tap counts as the gesture that lets sound play
  document.addEventListener("click", unlockAudio, true);
  document.addEventListener("touchstart", unlockAudio, true);
  el("alerts-mute").addEventListener("click", function () {
    Object.keys(calls).forEach(function (id) {
      muted[id] = true;
    });
    render();
  });

  buildOutcomes();
  render();
  connect();
})();
