// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-toggle-nav]");
  if (toggle) {
    const open = document.body.classList.toggle("nav-open");
    toggle.setAttribute("aria-expanded", String(open));
  }
  const treeButton = event.target.closest("[data-tree]");
  if (treeButton) {
    const open = treeButton.dataset.tree === "open";
    const scope = treeButton.closest(".tree-card") || document;
    scope.querySelectorAll(".tree details").forEach((details) => { details.open = open; });
  }
  const confirmEl = event.target.closest("[data-confirm]");
  if (confirmEl && !window.confirm(confirmEl.dataset.confirm)) event.preventDefault();
});
