// Progressive enhancement of the improvement board. Everything works without this file (and without htmx): every
// card moves with its POST form. With it:
// - after a move in place (htmx swaps the board's columns), the moved card's title gets the focus, so a keyboard
//   user is not thrown back to the top of the page; the page's live region says what happened;
// - a card can be dragged to the next column with a mouse: the drop submits the card's own move form (htmx then
//   posts it in place). The keyboard's way is the card's button.
(function () {
  "use strict";

  var dragged = null;

  function markDraggable() {
    var cards = document.querySelectorAll(".board-card[data-next]");
    for (var i = 0; i < cards.length; i += 1) {
      cards[i].setAttribute("draggable", "true");
    }
  }

  function columnFor(event) {
    if (!dragged || !event.target.closest) {
      return null;
    }
    var column = event.target.closest(".board-column");
    return column && column.getAttribute("data-stage") === dragged.getAttribute("data-next") ? column : null;
  }

  function clearTargets() {
    var marked = document.querySelectorAll(".is-drop-target");
    for (var i = 0; i < marked.length; i += 1) {
      marked[i].classList.remove("is-drop-target");
    }
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".board-card[data-next]") : null;
    if (!card) {
      return;
    }
    dragged = card;
    card.classList.add("is-dragged");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("is-dragged");
    }
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnFor(event);
    if (column) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      clearTargets();
      column.classList.add("is-drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnFor(event);
    if (!column) {
      return;
    }
    event.preventDefault();
    var form = dragged.querySelector("form.move-form");
    clearTargets();
    if (!form) {
      return;
    }
    // requestSubmit fires the submit event htmx listens to; submit() would post the plain form, also fine.
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    markDraggable();
    var focus = document.querySelector("#board [data-focus] h3 a");
    if (focus) {
      focus.focus();
    }
  });

  markDraggable();
})();
