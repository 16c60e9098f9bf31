/**
 * The report's only script, inlined (and allowed by its hash alone in the page's Content
 * Security Policy). Everything it does is an extra: a path in the tree or the timeline opens
 * and scrolls to its failure instead of its summary row; hovering a path marks it in both
 * pictures; buttons open or close every failure. Without it the page reads the same.
 */
export const HTML_REPORT_SCRIPT = `
(function () {
  'use strict';
  function failureOf(id) {
    var row = document.getElementById(id);
    var failure = row && row.getAttribute('data-failure');
    return failure ? document.getElementById(failure) : null;
  }
  function show(id) {
    var target = failureOf(id) || document.getElementById(id);
    if (!target) return false;
    if (target.tagName === 'DETAILS') target.open = true;
    target.scrollIntoView({ block: 'start' });
    return true;
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a');
    if (!link) return;
    var href = link.getAttribute('href') || '';
    if (href.indexOf('#p-') !== 0) return;
    var failure = failureOf(href.slice(1));
    if (!failure) return;
    event.preventDefault();
    failure.open = true;
    failure.scrollIntoView({ block: 'start' });
    history.replaceState(null, '', '#' + failure.id);
  });
  function mark(event, on) {
    var el = event.target.closest && event.target.closest('[data-path]');
    if (!el) return;
    var name = el.getAttribute('data-path');
    document.querySelectorAll('svg [data-path]').forEach(function (other) {
      if (other.getAttribute('data-path') === name) other.classList.toggle('hot', on);
    });
  }
  document.addEventListener('mouseover', function (event) { mark(event, true); });
  document.addEventListener('mouseout', function (event) { mark(event, false); });
  document.querySelectorAll('[data-toolbar]').forEach(function (bar) {
    bar.hidden = false;
    bar.addEventListener('click', function (event) {
      var action = event.target.getAttribute && event.target.getAttribute('data-action');
      if (!action) return;
      document.querySelectorAll('details.failure, details.passing-diff').forEach(function (d) {
        d.open = action === 'open';
      });
    });
  });
  if (location.hash.length > 1) show(decodeURIComponent(location.hash.slice(1)));
})();
`;
