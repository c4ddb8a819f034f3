/* On a phone the navigation bars are one row that scrolls sideways (static/css/app.css): bring the
   current section into view, so an officer sees where they are without swiping. Without
   JavaScript the bars still work; they only start at the first item. */
(function () {
  "use strict";
  document.querySelectorAll(".site-nav ul, .public-nav ul").forEach(function (list) {
    var current = list.querySelector('[aria-current="page"]');
    if (!current || list.scrollWidth <= list.clientWidth) return;
    list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
  });
})();
