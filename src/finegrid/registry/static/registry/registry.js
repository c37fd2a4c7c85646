// Registry pages: print buttons, filters that apply on change, and the care-tag form showing
// only the attributes of the chosen kind.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));

  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form && select.form.submit());
  });
  document.querySelectorAll(".fg-no-js").forEach((el) => { el.hidden = true; });

  document.querySelectorAll("form[data-care-form]").forEach((form) => {
    const kind = form.querySelector("select[name=kind]");
    if (!kind) return;
    const show = () => {
      form.querySelectorAll("[data-kind]").forEach((input) => {
        const field = input.closest(".fg-field");
        if (field) field.hidden = input.dataset.kind !== kind.value;
      });
    };
    kind.addEventListener("change", show);
    show();
  });
});

// A refused form (422) comes back with its errors beside the fields: show it, as a success.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
