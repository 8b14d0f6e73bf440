/* Progressive enhancement only: every page works the same with this file absent. */
(function () {
  "use strict";

  if (!document.querySelector || !window.addEventListener) {
    return;
  }

  document.documentElement.classList.add("js-enabled");

  /* (a) Conditional reveal.
     data-reveal-when="membership=member" shows the element only while the control
     named "membership" has the value "member". Several values: "status=a|b". */

  function parseCondition(text) {
    var at = text.indexOf("=");
    if (at < 1) {
      return null;
    }
    return {
      name: text.slice(0, at).trim(),
      values: text.slice(at + 1).split("|").map(function (v) { return v.trim(); })
    };
  }

  function controlsNamed(scope, name) {
    var found = [];
    var elements = scope.querySelectorAll("input, select, textarea");
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].name === name) {
        found.push(elements[i]);
      }
    }
    return found;
  }

  function currentValues(controls) {
    var values = [];
    controls.forEach(function (control) {
      if (control.disabled) {
        return;
      }
      if (control.type === "radio" || control.type === "checkbox") {
        if (control.checked) {
          values.push(control.value);
        }
      } else if (control.tagName === "SELECT") {
        for (var i = 0; i < control.options.length; i++) {
          if (control.options[i].selected) {
            values.push(control.options[i].value);
          }
        }
      } else {
        values.push(control.value);
      }
    });
    return values;
  }

  var revealTargets = [];

  function updateReveal(target) {
    var values = currentValues(target.controls);
    var show = target.condition.values.some(function (v) {
      return values.indexOf(v) !== -1;
    });
    target.element.hidden = !show;
    target.controls.forEach(function (control) {
      var expandable = control.type === "radio" || control.type === "checkbox";
      if (expandable && target.element.id && target.condition.values.indexOf(control.value) !== -1) {
        control.setAttribute("aria-controls", target.element.id);
        control.setAttribute("aria-expanded", show ? "true" : "false");
      }
    });
  }

  function initReveal() {
    var elements = document.querySelectorAll("[data-reveal-when]");
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var condition = parseCondition(element.getAttribute("data-reveal-when") || "");
      if (!condition) {
        continue;
      }
      var scope = element.closest("form") || document;
      var controls = controlsNamed(scope, condition.name);
      if (!controls.length && scope !== document) {
        controls = controlsNamed(document, condition.name);
      }
      if (!controls.length) {
        continue;
      }
      var target = { element: element, condition: condition, controls: controls };
      revealTargets.push(target);
      updateReveal(target);
    }
    if (revealTargets.length) {
      var refresh = function (event) {
        var name = event.target && event.target.name;
        if (!name) {
          return;
        }
        revealTargets.forEach(function (target) {
          if (target.condition.name === name) {
            updateReveal(target);
          }
        });
      };
      document.addEventListener("change", refresh);
      document.addEventListener("input", refresh);
    }
  }

  /* (b) Confirmation before destructive or irreversible actions.
     data-confirm on a <form>, on its submit button, or on a link. */

  function initConfirm() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var message = (submitter && submitter.getAttribute("data-confirm")) ||
        form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
      }
    });

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-confirm]");
      if (link && !window.confirm(link.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  /* (c) Error summary: move focus there so screen readers announce the problem first,
     and make its links focus the field while keeping the field's label in view. */

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && (input.type === "radio" || input.type === "checkbox")) {
      var legend = fieldset.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    if (input.id) {
      var label = document.querySelector("label[for='" + input.id.replace(/'/g, "\\'") + "']");
      if (label) {
        return label;
      }
    }
    return input.closest("label") || input;
  }

  function initErrorSummary() {
    var summary = document.querySelector("[data-module='error-summary']");
    if (!summary) {
      return;
    }
    summary.focus();

    summary.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var input = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!input || typeof input.focus !== "function") {
        return;
      }
      event.preventDefault();
      labelFor(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  /* (d) Keyboard shortcuts: a link with data-shortcut="j" is followed when j is pressed outside a field
     (the review desk's next and previous application in the queue). */

  function initShortcuts() {
    var links = document.querySelectorAll("a[data-shortcut]");
    if (!links.length) {
      return;
    }
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) {
        return;
      }
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
        return;
      }
      for (var i = 0; i < links.length; i++) {
        if (links[i].getAttribute("data-shortcut") === event.key) {
          event.preventDefault();
          window.location.href = links[i].href;
          return;
        }
      }
    });
  }

  function init() {
    initShortcuts();
    initReveal();
    initConfirm();
    initErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
