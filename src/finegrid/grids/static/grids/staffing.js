// A refused staffing form (422) comes back with its errors beside the fields: swap it in like a
// success, so the official sees what to correct.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
