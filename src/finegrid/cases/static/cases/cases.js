// Case pages. The report form: a fresh idempotency key per page (a double submit or a retry
// sends the same one, so it makes one case), and the phone's position through
// navigator.geolocation, asked for at once as a start and again by "use my location" (the map
// of place.js follows the fields). htmx: a refused action (409/422/403) still swaps in, so its
// message shows beside the field.
(() => {
  const form = document.getElementById("report-form");
  if (form) {
    const key = form.querySelector("input[name=idempotency_key]");
    if (key && !key.value && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
    const status = document.getElementById("locate-status");
    const lat = form.querySelector("input[name=lat]");
    const lng = form.querySelector("input[name=lng]");
    const locate = ({ auto = false } = {}) => {
      if (!navigator.geolocation) { status.textContent = status.dataset.fail; return; }
      status.textContent = status.dataset.busy;
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          // a point the user placed meanwhile wins over the start position
          if (auto && form.dataset.placed === "1") { status.textContent = ""; return; }
          lat.value = pos.coords.latitude.toFixed(6);
          lng.value = pos.coords.longitude.toFixed(6);
          lat.dispatchEvent(new Event("change", { bubbles: true })); // the map follows (place.js)
          status.textContent = status.dataset.ok;
          form.dataset.located = "1";
        },
        () => {
          status.textContent = status.dataset.fail;
        },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
      );
    };
    document.getElementById("use-location").addEventListener("click", () => locate());
    if (!lat.value) locate({ auto: true });
    let sent = false;
    form.addEventListener("submit", (event) => {
      if (sent) { event.preventDefault(); return; }
      sent = true;
      setTimeout(() => { sent = false; }, 5000);
    });
  }
  document.addEventListener("htmx:beforeSwap", (event) => {
    if ([403, 409, 422].includes(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
