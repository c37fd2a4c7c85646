// Scanning a check-in code with the phone's camera: the browser's BarcodeDetector where it has
// one, else the vendored jsQR decoding frames drawn on a canvas. What is read opens the
// check-in page; the typed code below the camera is the fallback.
(function () {
  "use strict";
  var page = document.getElementById("scan-page");
  if (!page) return;
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var status = document.getElementById("scan-status");
  var start = document.getElementById("scan-start");
  var detector = null;

  function say(text) { status.textContent = text; }

  function open(text) {
    var marker = "/workforce/c/";
    var payload = text.indexOf(marker) >= 0 ? text.split(marker)[1] : text;
    payload = payload.split("?")[0].split("#")[0].replace(/^\/+|\/+$/g, "");
    if (payload.indexOf("FG1.") !== 0) return false;
    window.location.href = page.dataset.fgCheckin.replace("PAYLOAD", encodeURIComponent(payload));
    return true;
  }

  function tick() {
    if (video.readyState < 2) { requestAnimationFrame(tick); return; }
    if (detector) {
      detector.detect(video).then(function (codes) {
        if (!(codes.length && open(codes[0].rawValue))) requestAnimationFrame(tick);
      }, function () { requestAnimationFrame(tick); });
      return;
    }
    var w = video.videoWidth, h = video.videoHeight;
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, w, h);
    var found = window.jsQR ? window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h) : null;
    if (!(found && open(found.data))) requestAnimationFrame(tick);
  }

  start.addEventListener("click", function () {
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
      say(page.dataset.fgNocamera);
      return;
    }
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        start.hidden = true;
        say(page.dataset.fgScanning);
        return video.play().then(function () { requestAnimationFrame(tick); });
      })
      .catch(function () { say(page.dataset.fgNocamera); });
  });
})();
