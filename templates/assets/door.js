/* The door page's script (templates/pages/door.hbs), a file because the Content-Security-Policy allows no inline script. */
(function () {
  'use strict';
  // The page's words, in its language (templates/locales: pages.door.script): a JSON block in the
  // page, which the CSP lets through as data.
  var T = JSON.parse(document.getElementById('door-texts').textContent);
  var KEY = 'seminarhub.organizerToken';
  var root = document.getElementById('door');
  var eventId = root.getAttribute('data-event-id');
  var timeZone = 'UTC';
  var tokenForm = document.getElementById('door-token-form');
  var tokenInput = document.getElementById('door-token');
  var codeForm = document.getElementById('door-code-form');
  var codeInput = document.getElementById('door-code');
  var result = document.getElementById('door-result');
  var log = document.getElementById('door-log');
  var busy = false;

  function token() { try { return sessionStorage.getItem(KEY); } catch (e) { return null; } }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name] == null ? '' : String(values[name]); });
  }
  function who(r) { return r.name + (r.company ? ' (' + r.company + ')' : ''); }
  function clock(iso) {
    try {
      return new Intl.DateTimeFormat(T.clockLocale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: timeZone }).format(new Date(iso));
    } catch (e) { return iso; }
  }
  function show(kind, text) {
    result.hidden = false;
    result.className = 'notice door-result ' + kind;
    result.firstElementChild.textContent = text;
    var item = document.createElement('li');
    item.textContent = clock(new Date().toISOString()) + '  ' + text;
    log.insertBefore(item, log.firstChild);
    while (log.children.length > 50) log.removeChild(log.lastChild);
  }
  function askToken(message) {
    try { sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
    codeForm.hidden = true;
    tokenForm.hidden = false;
    if (message) show('error', message);
    tokenInput.focus();
  }
  function api(method, path, body) {
    var headers = { Authorization: 'Bearer ' + token(), Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    });
  }
  function start() {
    api('GET', '/api/events/' + encodeURIComponent(eventId)).then(function (answer) {
      if (answer.status === 401) return askToken(T.badToken);
      if (answer.status !== 200) { document.getElementById('door-event').textContent = T.noEvent; return; }
      timeZone = answer.data.timezone || 'UTC';
      document.getElementById('door-event').textContent = answer.data.title + ' · ' + timeZone;
      tokenForm.hidden = true;
      codeForm.hidden = false;
      codeInput.focus();
    }, function () { show('error', T.network); });
  }
  function checkIn(code) {
    busy = true;
    api('POST', '/api/events/' + encodeURIComponent(eventId) + '/check-ins', { code: code }).then(function (answer) {
      var d = answer.data || {};
      if (answer.status === 200) show('success', fill(T.checkedIn, { who: who(d.registration), time: clock(d.checkedInAt) }));
      else if (answer.status === 401) askToken(T.badToken);
      else if (answer.status === 409 && d.status === 'already_checked_in') show('warning', fill(T.already, { who: who(d.registration), time: clock(d.checkedInAt) }));
      else if (answer.status === 409 && d.status === 'not_confirmed') show('error', fill(T.notConfirmed, { who: who(d.registration), status: T.statuses[d.registrationStatus] || d.registrationStatus }));
      else if (answer.status === 409) show('error', T.cancelled);
      else if (answer.status === 404) show('error', fill(T.unknown, { code: code }));
      else if (answer.status === 400) show('error', fill(T.invalid, { code: code }));
      else show('error', (d.message && d.message.join(' ')) || T.network);
    }, function () { show('error', T.network); }).then(function () {
      busy = false;
      codeInput.focus();
    });
  }
  tokenForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var value = tokenInput.value.trim();
    if (!value) return;
    try { sessionStorage.setItem(KEY, value); } catch (e) { /* private mode */ }
    tokenInput.value = '';
    result.hidden = true;
    start();
  });
  codeForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var code = codeInput.value.trim();
    codeInput.value = '';
    if (!code || busy) return;
    checkIn(code);
  });
  document.getElementById('door-forget').addEventListener('click', function () { askToken(null); });
  if (token()) start(); else askToken(null);
})();
