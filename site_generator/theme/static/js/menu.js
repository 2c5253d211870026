/* The menu on small screens: a "Menu" button shows and hides the list (aria-expanded says which).
   Without this script the button stays hidden and the menu is one row that scrolls sideways. */
(function () {
  "use strict";
  var nav = document.querySelector("nav.menu");
  var button = nav && nav.querySelector(".menu-button");
  if (!button) return;
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  }
  nav.classList.add("js");
  button.hidden = false;
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      set(false);
      button.focus();
    }
  });
})();
