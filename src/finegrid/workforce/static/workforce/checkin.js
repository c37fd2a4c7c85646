// The check-in page: ask the browser for its position, fill the form, then let the worker send it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-fg-geolocate]");
  if (!form) return;
  var status = document.getElementById("checkin-position");
  var button = document.getElementById("checkin-submit");
  function say(text) { status.textContent = text; }
  if (!("geolocation" in navigator)) {
    say(form.dataset.fgDenied);
    return;
  }
  say(form.dataset.fgLocating);
  navigator.geolocation.getCurrentPosition(
    function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.elements.lng.value = pos.coords.longitude.toFixed(6);
      say(form.dataset.fgLocated.replace("{m}", Math.round(pos.coords.accuracy || 0)));
      button.disabled = false;
    },
    function () { say(form.dataset.fgDenied); },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
  );
  form.addEventListener("submit", function () { button.disabled = true; });
})();
