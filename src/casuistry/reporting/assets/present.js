/* casuistry: presentation mode. Steps through the events of the case (data in #present-data):
   the event's sentence, the time view of the signal graph at that moment (moved into the
   presenter while it is open, replayed through window.casuistryReplay) and the who-knows-what
   matrix. Opens from the report's button or "#present" in the address; arrow keys, PageUp/Down,
   Space or a click on the sentence step; the stop buttons jump; Escape returns to the report. */
(function () {
  "use strict";
  var layer = document.getElementById("presenter");
  var source = document.getElementById("present-data");
  if (!layer || !source) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var steps = data.steps;
  var graphId = layer.getAttribute("data-graph");
  var rows = layer.querySelector(".present-matrix tbody").rows;
  var slot = layer.querySelector(".present-graph");
  var index = 0;
  var moved = null;

  function cell(a, s) {
    return rows[a].cells[s + 1];
  }
  function fillMatrix(t, previous) {
    var a, s;
    for (a = 0; a < rows.length; a++) {
      for (s = 0; s < data.signals.length; s++) {
        cell(a, s).className = "cell-none";
        cell(a, s).textContent = "·";
      }
    }
    data.cells.forEach(function (c) {
      if (c.t <= t) {
        var td = cell(c.a, c.s);
        td.className = (c.own ? "cell-own" : "cell-heard") + (c.t > previous ? " cell-new" : "");
        td.textContent = "●";
      }
    });
  }
  function show(i) {
    index = Math.max(0, Math.min(steps.length - 1, i));
    var step = steps[index];
    var previous = index > 0 ? steps[index - 1].t : -Infinity;
    layer.querySelector(".present-sentence").textContent = step.sentence;
    layer.querySelector(".present-note").textContent = step.note;
    layer.querySelector(".present-note").className = "present-note stop-" + (step.stop || "none");
    layer.querySelector(".present-when").textContent = step.when;
    layer.querySelector(".present-index").textContent = String(index + 1);
    layer.setAttribute("data-step", String(index));
    fillMatrix(step.t, previous);
    var replay = (window.casuistryReplay || {})[graphId];
    if (replay) {
      replay.showTime(step.t);
    }
  }
  function fitGraph() {
    var graph = (window.casuistryGraphs || {})[graphId];
    var replay = (window.casuistryReplay || {})[graphId];
    if (graph && replay) {
      replay.fit(graph);
    }
  }
  function open() {
    if (!layer.hidden) {
      return;
    }
    var view = document.querySelector('[data-view-of="' + graphId + '"]');
    if (view) {
      moved = {view: view, parent: view.parentNode, next: view.nextSibling, hidden: view.hidden};
      view.hidden = false;
      slot.appendChild(view);
    }
    layer.hidden = false;
    document.body.classList.add("presenting");
    if (layer.requestFullscreen) {
      layer.requestFullscreen().catch(function () { /* full screen refused: the layer fills the window */ });
    }
    show(index);
    fitGraph();
    layer.focus();
  }
  function close() {
    if (layer.hidden) {
      return;
    }
    layer.hidden = true;
    document.body.classList.remove("presenting");
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(function () { /* already left */ });
    }
    if (moved) {
      moved.parent.insertBefore(moved.view, moved.next);
      moved.view.hidden = moved.hidden;
      moved = null;
    }
    var replay = (window.casuistryReplay || {})[graphId];
    if (replay) {
      replay.showTime(Infinity);
    }
    if (location.hash === "#present") {
      history.replaceState(null, "", location.pathname + location.search);
    }
  }
  layer.tabIndex = -1;
  layer.querySelector(".present-next").addEventListener("click", function () { show(index + 1); });
  layer.querySelector(".present-prev").addEventListener("click", function () { show(index - 1); });
  layer.querySelector(".present-sentence").addEventListener("click", function () { show(index + 1); });
  layer.querySelector(".present-close").addEventListener("click", close);
  Array.prototype.forEach.call(layer.querySelectorAll(".present-stops button"), function (b) {
    b.addEventListener("click", function () { show(+b.getAttribute("data-step")); });
  });
  document.addEventListener("keydown", function (event) {
    if (layer.hidden) {
      return;
    }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown" || key === " ") {
      show(index + 1);
    } else if (key === "ArrowLeft" || key === "PageUp") {
      show(index - 1);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(steps.length - 1);
    } else if (key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) {
      close(); /* the browser leaves full screen on Escape before a key event arrives */
    } else {
      fitGraph();
    }
  });
  window.addEventListener("hashchange", function () {
    if (location.hash === "#present") {
      open();
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[href='#present']"), function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      history.replaceState(null, "", "#present");
      open();
    });
  });
  if (location.hash === "#present") {
    open();
  }
  window.casuistryPresenter = {open: open, close: close, show: show};
})();
