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
