/* Wmo-kaart accessibility fixes for Dash 4 components (WCAG 2.1 AA, checked by axe-core):
   - Checklist renders native checkboxes inside role="listbox"/"option" labels, which nests
     interactive controls and leaves the listbox nameless: drop those roles, keep the native
     checkboxes (their group is named by the surrounding fieldset/legend).
   - Dropdown puts keyboard focus on an aria-hidden input: move focus to the labelled button. */
(function () {
  function fix(root) {
    root.querySelectorAll(".dash-options-list[role]").forEach(function (list) {
      list.removeAttribute("role");
      list.querySelectorAll("[role='option']").forEach(function (option) {
        option.removeAttribute("role");
        option.removeAttribute("aria-selected");
      });
    });
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']:not([tabindex='-1'])").forEach(function (input) {
      input.setAttribute("tabindex", "-1");
    });
    root.querySelectorAll(".dash-dropdown-wrapper > button.dash-dropdown[tabindex='-1']").forEach(function (button) {
      button.setAttribute("tabindex", "0");
    });
  }
  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); })
      .observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["role", "tabindex"] });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
