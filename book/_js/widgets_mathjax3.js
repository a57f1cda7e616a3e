// The widget scripts (@jupyter-widgets/html-manager) typeset a widget's label with MathJax 2's
// call, MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); the book serves MathJax 3, which
// has no Hub, so every widget page threw "Cannot read properties of undefined (reading 'Queue')".
// This script gives whatever window.MathJax becomes (the configuration, then MathJax 3 itself)
// a Hub whose Queue typesets the element with MathJax 3. It is hidden from MathJax's own
// configuration reader (not enumerable). Loaded before the other scripts (_config.yml).
(function () {
  "use strict";
  var hub = {
    Queue: function (job) {
      var element = job && job[2];
      if (element && window.MathJax && typeof window.MathJax.typesetPromise === "function") {
        window.MathJax.typesetPromise([element]);
      }
    }
  };
  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      Object.defineProperty(value, "Hub", { value: hub, enumerable: false, configurable: true });
    }
    return value;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); }
  });
})();
