/* casuistry: replay who knew what when. For every .replay-controls[data-graph] box, a
   slider walks through the moments of the case; nodes and edges of the vis DataSets whose
   time "t" is later than the chosen moment are hidden. The graph's DataSets are registered
   in window.casuistryGraphs[id] by the graph's own script. */
(function () {
  "use strict";
  function setup(box) {
    var id = box.getAttribute("data-graph");
    var graph = (window.casuistryGraphs || {})[id];
    var data = document.getElementById(id + "-steps");
    if (!graph || !data || box.getAttribute("data-ready") === "1") {
      return;
    }
    box.setAttribute("data-ready", "1");
    var steps = JSON.parse(data.textContent);
    var slider = box.querySelector("input[type=range]");
    var output = box.querySelector("output");
    var button = box.querySelector("button");
    var timer = null;
    slider.min = 0;
    slider.max = steps.length - 1;
    slider.value = steps.length - 1;

    function visible(item, t) {
      return !(item.t > t);
    }
    function show(i) {
      var t = steps[i].t;
      graph.nodes.update(graph.nodes.get().map(function (n) {
        return {id: n.id, hidden: !visible(n, t)};
      }));
      graph.edges.update(graph.edges.get().map(function (e) {
        return {id: e.id, hidden: !visible(e, t)};
      }));
      output.textContent = steps[i].label;
      slider.setAttribute("aria-valuetext", steps[i].label);
    }
    function stop() {
      if (timer !== null) {
        clearInterval(timer);
        timer = null;
      }
      button.textContent = button.getAttribute("data-play");
    }
    function tick() {
      if (+slider.value >= steps.length - 1) {
        stop();
        return;
      }
      slider.value = +slider.value + 1;
      show(+slider.value);
    }
    slider.addEventListener("input", function () {
      stop();
      show(+slider.value);
    });
    button.addEventListener("click", function () {
      if (timer !== null) {
        stop();
        return;
      }
      if (+slider.value >= steps.length - 1) {
        slider.value = 0;
      }
      show(+slider.value);
      button.textContent = button.getAttribute("data-pause");
      timer = setInterval(tick, 900);
    });
    show(+slider.value);
  }
  var boxes = document.querySelectorAll(".replay-controls[data-graph]");
  for (var i = 0; i < boxes.length; i++) {
    setup(boxes[i]);
  }
})();
