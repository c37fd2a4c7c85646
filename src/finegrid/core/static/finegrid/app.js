// The phone menu: the nav collapses under a button below 768 px (see app.css).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".fg-nav-toggle");
  const menu = document.getElementById("fg-nav-menu");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
  });
});

// An error page's "Back" button, shown only when there is somewhere to go back to.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-fg-back]").forEach((button) => {
    if (window.history.length < 2) return;
    button.hidden = false;
    button.addEventListener("click", () => window.history.back());
  });
});
// The browser's own "Please fill out this field" speaks the browser's language, not the page's:
// a required field left empty is named in the page's language instead (texts on <body>, or the
// field's own data-required-message).
const fgChosen = (field) => field.type === "radio" || field.type === "checkbox" || field.tagName === "SELECT";
const fgGroup = (field) =>
  field.type === "radio" && field.form && field.name
    ? Array.from(field.form.elements).filter((el) => el.name === field.name)
    : [field];
document.addEventListener(
  "invalid",
  (event) => {
    const field = event.target;
    if (!field.setCustomValidity || !field.validity || !field.validity.valueMissing) return;
    const texts = document.body.dataset;
    const text = field.dataset.requiredMessage || (fgChosen(field) ? texts.fgChoose : texts.fgRequired);
    if (text) field.setCustomValidity(text);
  },
  true,
);
const fgClear = (event) => {
  const field = event.target;
  if (field && field.setCustomValidity) fgGroup(field).forEach((el) => el.setCustomValidity(""));
};
document.addEventListener("input", fgClear, true);
document.addEventListener("change", fgClear, true);
