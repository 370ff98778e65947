// On wide screens the navigation is always open; on phones it is a menu,
// closed again when a wide window becomes narrow (a tablet turned upright).
(function () {
  var menu = document.querySelector(".nav-toggle");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 60rem)");
  function sync() { menu.open = wide.matches; }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
})();
