// On wide screens the navigation is always open; on phones it is a menu.
(function () {
  var menu = document.querySelector(".nav-toggle");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 60rem)");
  function sync() { if (wide.matches) menu.open = true; }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
})();
