/* casuistry: replay who knew what when. For every .replay-controls[data-graph] box, a
   slider walks through the moments of the case; nodes and edges of the vis DataSets whose
   time "t" is later than the chosen moment are hidden, in every graph the box names
   (data-graph holds their ids, separated by spaces; the first names the steps). The graphs'
   DataSets are registered in window.casuistryGraphs[id] by each graph's own script. The
   buttons [data-view] switch which graph is shown; the shown graph is fitted to its frame.
   The replay of a box is published as window.casuistryReplay[first id] ({steps, show}). */
(function () {
  "use strict";
  function fit(graph) {
    graph.network.redraw();
    graph.network.fit({animation: false});
  }
  function setup(box) {
    var ids = box.getAttribute("data-graph").split(" ");
    var registry = window.casuistryGraphs || {};
    var graphs = ids.map(function (id) { return registry[id]; });
    var data = document.getElementById(ids[0] + "-steps");
    if (graphs.indexOf(undefined) >= 0 || !data || box.getAttribute("data-ready") === "1") {
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
    function showTime(t) {
      graphs.forEach(function (graph) {
        graph.nodes.update(graph.nodes.get().map(function (n) {
          return {id: n.id, hidden: !visible(n, t)};
        }));
        graph.edges.update(graph.edges.get().map(function (e) {
          return {id: e.id, hidden: !visible(e, t)};
        }));
      });
    }
    function show(i) {
      showTime(steps[i].t);
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
    window.casuistryReplay = window.casuistryReplay || {};
    window.casuistryReplay[ids[0]] = {steps: steps, showTime: showTime, fit: fit};
  }
  function views(root) {
    var buttons = root.querySelectorAll(".graph-views button[data-view]");
    Array.prototype.forEach.call(buttons, function (chosen) {
      chosen.addEventListener("click", function () {
        Array.prototype.forEach.call(buttons, function (b) {
          var on = b === chosen;
          b.setAttribute("aria-pressed", on ? "true" : "false");
          var frame = root.querySelector('[data-view-of="' + b.getAttribute("data-view") + '"]');
          frame.hidden = !on;
        });
        var graph = (window.casuistryGraphs || {})[chosen.getAttribute("data-view")];
        if (graph) {
          fit(graph);
        }
      });
    });
  }
  var boxes = document.querySelectorAll(".replay-controls[data-graph]");
  for (var i = 0; i < boxes.length; i++) {
    setup(boxes[i]);
  }
  var roots = document.querySelectorAll(".signal-graph");
  for (var j = 0; j < roots.length; j++) {
    views(roots[j]);
  }
  window.addEventListener("resize", function () {
    var all = window.casuistryGraphs || {};
    Object.keys(all).forEach(function (id) {
      if (document.getElementById(id).offsetParent !== null) {
        fit(all[id]);
      }
    });
  });
})();
